// kernel/syscall/dispatch.cc — SyscallDispatch: from the entry's register frame to a handler
// and back (status in rax, value in rdx), then pending stop/kill work before user mode.
#include "kernel/arch/trap_frame.h"
#include "kernel/arch/user_mode.h"
#include "kernel/object/thread.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/thread.h"
#include "kernel/syscall/entry.h"
#include "kernel/syscall/ipc_fastpath.h"
#include "kernel/syscall/syscall_table.h"

namespace hiillos::syscall {
namespace {

constinit const SyscallTable kTable = MakeSyscallTable();

uapi::ThreadRegs UserState(const arch::InterruptFrame& frame) {
  uapi::ThreadRegs regs{};
  regs.rax = frame.rax;
  regs.rbx = frame.rbx;
  regs.rcx = frame.rcx;
  regs.rdx = frame.rdx;
  regs.rsi = frame.rsi;
  regs.rdi = frame.rdi;
  regs.rbp = frame.rbp;
  regs.rsp = frame.rsp;
  regs.r8 = frame.r8;
  regs.r9 = frame.r9;
  regs.r10 = frame.r10;
  regs.r11 = frame.r11;
  regs.r12 = frame.r12;
  regs.r13 = frame.r13;
  regs.r14 = frame.r14;
  regs.r15 = frame.r15;
  regs.rip = frame.rip;
  regs.rflags = frame.rflags;
  // In the kernel after SWAPGS: IA32_KERNEL_GS_BASE holds the user's GS base.
  regs.fs_base = arch::UserMode::ThreadPointerBase();
  regs.gs_base = arch::UserMode::SecondaryThreadBase();
  return regs;
}

// A pending stop or kill (rare): out of line, so that the common return path stays short.
[[gnu::noinline, gnu::cold]] void ApplyUserReturnWork(arch::InterruptFrame& frame) {
  arch::PrepareUserReturn(frame);
  sched::HandleUserReturnWork(UserState(frame));
}

}  // namespace

SyscallResult Dispatch(uint64_t number, const SyscallArgs& args) {
  // Past the end, or in a gap of the numbering.
  if (number >= uapi::kSyscallCount || kTable.entry[number] == nullptr) {
    return Err(uapi::Status::kInvalidSyscall);
  }
  return kTable.entry[number](args);
}

}  // namespace hiillos::syscall

extern "C" uint64_t SyscallDispatch(hiillos::arch::InterruptFrame* frame) {
  using namespace hiillos;
  const uint64_t number = frame->rax;
  // IPC calls (40-59) carry their message in more registers than the arguments: their
  // handlers read and write it in this frame (kernel/syscall/ipc.cc).
  // Call and ReplyRecv with a register-only message try the fast path first
  // (kernel/syscall/ipc_fastpath.h); when it does not apply, nothing has changed. When it
  // does, it has put the status and value into rax and rdx.
  bool done = false;
  if (number - 40 < 20) {
    if (object::Thread* thread = object::CurrentThread()) {
      thread->ipc().syscall_frame = frame;
      done = syscall::IpcFastPath(number, *thread, *frame);
    }
  }
  if (!done) {
    // A number past the table's end is refused before the arguments are gathered (Dispatch
    // checks it again, with the gaps).
    syscall::SyscallResult result =
        number < uapi::kSyscallCount
            ? syscall::Dispatch(number, syscall::SyscallArgs{{frame->rdi, frame->rsi, frame->rdx,
                                                              frame->r10, frame->r8, frame->r9}})
            : syscall::SyscallResult(Err(uapi::Status::kInvalidSyscall));
    frame->rax = static_cast<uint64_t>(result.ok() ? uapi::Status::kOk : result.error());
    frame->rdx = result.ok() ? result.value() : 0;
  }
  // SYSCALL clobbered rcx and r11 (the ABI says so): keep them equal to the return RIP and
  // RFLAGS, which lets the exit use SYSRETQ.
  if (sched::SyscallReturnWorkPending()) [[unlikely]] {
    frame->rcx = frame->rip;
    frame->r11 = arch::SanitizeUserRflags(frame->rflags);
    syscall::ApplyUserReturnWork(*frame);
    return arch::PrepareUserReturn(*frame) ? 1 : 0;  // sanitises rflags to r11's value
  }
  // The common end, in one pass (the same state and answer as the three steps above).
  return arch::PrepareSyscallReturn(*frame) ? 1 : 0;
}
