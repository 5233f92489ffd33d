// kernel/sched/user_thread.cc — the user-mode boundary: first entry to ring 3, stop/kill
// requests taking effect before user code runs again, and ring-3 faults ending the thread.
#include "kernel/arch/interrupts.h"
#include "kernel/arch/thread_context.h"
#include "kernel/arch/user_mode.h"
#include "kernel/lib/log.h"
#include "kernel/panic/panic.h"
#include "kernel/sched/cpu_sched.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/thread.h"
#include "kernel/sched/thread_control.h"

namespace hiillos::sched {

namespace internal {
namespace {

// Stop and kill requests are set under the run-queue lock by another CPU and read here without
// it: a relaxed snapshot (ParkCurrent re-reads them under the lock).
bool Load(const Atomic<bool>& request) {
  return request.Load(MemoryOrder::kRelaxed);
}

// Where a redirected ring-3 context continues in ring 0: below the user-entry frame area, so
// that the thread may still enter user mode from there.
uint64_t TrampolineStackTop(const ThreadSched& sched) {
  return sched.stack.top - kUserFrameReserve;
}

[[noreturn]] void FaultTrampoline();

Atomic<PageFaultHook> g_page_fault_hook;

// IRETQ to a non-canonical RIP would fault in ring 0: such a state (possible only from a
// syscall at the very top of user space) ends the thread like the #GP it would raise.
void CheckUserRip(ThreadSched& sched) {
  if (arch::UserMode::IsUserAddress(sched.user_regs.rip)) return;
  sched.fault_vector = arch::UserMode::kProtectionFaultVector;
  sched.fault_error = 0;
  sched.fault_address = 0;
  sched.fault_rip = sched.user_regs.rip;
  FaultTrampoline();
}

// The current user thread stops (user_regs already hold its user state) unless the request
// was withdrawn (then it re-enters user mode) or it is also being killed. Interrupts off.
[[noreturn]] void ParkCurrent() {
  Thread* self = CurrentThread();
  ThreadSched& sched = self->sched();
  CpuSched& cpu = ThisCpu();
  cpu.lock.Lock();
  if (Load(sched.kill_pending)) {
    cpu.lock.Unlock();
    arch::EnableInterrupts();
    internal::ExitCurrent({uapi::ExitReason::kKilled, 0, 0});
  }
  if (!Load(sched.stop_pending)) {
    cpu.lock.Unlock();
    CheckUserRip(sched);
    // Back to user mode after all. The IRETQ frame goes to the top of the stack, which the
    // caller's (abandoned) frames may occupy: continue below the reserved area first.
    arch::ThreadContext::RunOnStack(
        TrampolineStackTop(sched),
        [](void* regs_owner) {
          ThreadSched& owner = *static_cast<ThreadSched*>(regs_owner);
          arch::UserMode::Enter(owner.user_regs, owner.stack.top);
        },
        &sched);
    panic::Panic("sched: thread %u returned from user-mode entry", self->id());
  }
  sched.stop_pending.Store(false, MemoryOrder::kRelaxed);
  sched.state.Store(ThreadState::kStopped, MemoryOrder::kRelaxed);
  Reschedule(cpu);
  // A stopped thread restarts from user_regs on a fresh kernel context, never here.
  panic::Panic("sched: stopped thread %u resumed its old context", self->id());
}

[[noreturn]] void KillTrampoline() {
  arch::EnableInterrupts();
  internal::ExitCurrent({uapi::ExitReason::kKilled, 0, 0});
}

[[noreturn]] void ParkTrampoline() {
  ParkCurrent();
}

void LogFault(Thread& thread, const ThreadSched& sched) {
  const char* name = arch::ExceptionName(sched.fault_vector);
  char detail[64];
  arch::DescribeErrorCode(sched.fault_vector, sched.fault_error, detail, sizeof(detail));
  uint64_t process = thread.owner_hooks().group_id(thread);
  if (sched.fault_vector == arch::UserMode::kPageFaultVector) {
    klog::Log("fault", "process %lu thread %u: %s at %#lx (rip %#lx, error %#lx %s) \u2014 killed",
              process, thread.id(), name, sched.fault_address, sched.fault_rip, sched.fault_error,
              detail);
  } else {
    klog::Log("fault", "process %lu thread %u: %s (%s) at rip %#lx (error %#lx%s%s) \u2014 killed",
              process, thread.id(), name, arch::ExceptionMnemonic(sched.fault_vector),
              sched.fault_rip, sched.fault_error, detail[0] != '\0' ? " " : "", detail);
  }
}

[[noreturn]] void FaultTrampoline() {
  arch::EnableInterrupts();
  Thread* self = CurrentThread();
  const ThreadSched& sched = self->sched();
  if (sched.fault_vector == arch::UserMode::kPageFaultVector) {
    uint64_t access = arch::UserMode::PagerFaultAccess(sched.fault_error);
    PageFaultHook hook = g_page_fault_hook.Load(MemoryOrder::kAcquire);
    if (access != 0 && hook != nullptr && hook(*self, sched.fault_address, access)) {
      // user_regs hold the state at the fault (OnUserFault): retry the access.
      arch::DisableInterrupts();
      EnterUserFromRegs();
    }
  }
  LogFault(*self, sched);
  uint64_t address = sched.fault_vector == arch::UserMode::kPageFaultVector ? sched.fault_address
                                                                            : sched.fault_rip;
  internal::ExitCurrent({uapi::ExitReason::kFaulted, sched.fault_vector, address});
}

}  // namespace

void EnterUserFromRegs() {
  ThreadSched& sched = CurrentThread()->sched();
  if (Load(sched.kill_pending) || Load(sched.stop_pending)) ParkCurrent();
  CheckUserRip(sched);
  arch::UserMode::Enter(sched.user_regs, sched.stack.top);
}

bool ApplyUserBoundaryWork(arch::InterruptFrame& frame) {
  Thread* self = CurrentThread();
  if (self == nullptr || !self->sched().user) return false;
  ThreadSched& sched = self->sched();
  if (Load(sched.kill_pending)) {
    arch::RedirectToKernel(frame, KillTrampoline, TrampolineStackTop(sched));
    return true;
  }
  if (Load(sched.stop_pending)) {
    arch::UserRegsFromFrame(frame, &sched.user_regs);
    arch::RedirectToKernel(frame, ParkTrampoline, TrampolineStackTop(sched));
    return true;
  }
  return false;
}

}  // namespace internal

bool UserReturnWorkPending() {
  return UserReturnWorkPendingInline();
}

void HandleUserReturnWork(const uapi::ThreadRegs& user_state) {
  if (!UserReturnWorkPending()) return;
  ThreadSched& sched = CurrentThread()->sched();
  if (internal::Load(sched.kill_pending)) {
    internal::ExitCurrent({uapi::ExitReason::kKilled, 0, 0});
  }
  arch::DisableInterrupts();
  sched.user_regs = user_state;
  internal::ParkCurrent();
}

void SetPageFaultHook(PageFaultHook hook) {
  internal::g_page_fault_hook.Store(hook, MemoryOrder::kRelease);
}

bool OnUserFault(arch::InterruptFrame& frame, uint64_t vector, uint64_t cr2) {
  if (!arch::FromUserMode(frame) || !CpuReady()) return false;
  Thread* self = CurrentThread();
  if (self == nullptr || !self->sched().user) return false;
  ThreadSched& sched = self->sched();
  sched.fault_vector = vector;
  sched.fault_error = frame.error_code;
  sched.fault_address = cr2;
  sched.fault_rip = frame.rip;
  // A page fault may be resolved by a pager and the access retried from these registers.
  if (vector == arch::UserMode::kPageFaultVector) arch::UserRegsFromFrame(frame, &sched.user_regs);
  // Leave the exception (and its IST stack, for #PF) normally; the thread then ends in ring 0
  // on its own kernel stack.
  arch::RedirectToKernel(frame, internal::FaultTrampoline, internal::TrampolineStackTop(sched));
  return true;
}

}  // namespace hiillos::sched
