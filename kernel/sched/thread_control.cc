// kernel/sched/thread_control.cc — the scheduler side of Thread operations: start, stop, kill,
// priority, affinity, registers, exit and wait (thread_control.h).
#include "kernel/sched/thread_control.h"

#include "kernel/arch/interrupts.h"
#include "kernel/arch/user_mode.h"
#include "kernel/panic/panic.h"
#include "kernel/sched/cpu_sched.h"
#include "kernel/sched/reaper.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/thread.h"
#include "kernel/sched/thread_access.h"
#include "lib/base/atomic.h"
#include "lib/base/placement_new.h"

namespace hiillos::sched {

namespace internal {
namespace {

Atomic<uint64_t> g_live_threads;  // started and not exited (idle contexts excluded)

bool IsUserAddress(uint64_t address) {
  return arch::UserMode::IsUserAddress(address);
}

// Locks both the run queue `thread` is on and the one of `to_cpu` (PickCpu's choice), with
// interrupts off; returns the thread's CPU. Re-checks ThreadSched::cpu after locking. Callers
// tell the analysis with `AssertHeld()`. Unchecked: it returns holding two locks chosen at
// run time, which no annotation can name.
uint32_t LockThreadAndTarget(Thread& thread, uint64_t affinity,
                             uint32_t* to_cpu) TA_NO_THREAD_SAFETY_ANALYSIS {
  ThreadSched& sched = thread.sched();
  for (;;) {
    uint32_t from = sched.cpu.Load(MemoryOrder::kRelaxed);
    uint32_t to = PickCpu(affinity, from);
    LockPair(Cpu(from), Cpu(to));
    if (sched.cpu.Load(MemoryOrder::kRelaxed) == from) {
      *to_cpu = to;
      return from;
    }
    UnlockPair(Cpu(from), Cpu(to));
  }
}

// True if `sched` is ready in its run queue with a kernel context that may be thrown away:
// it has not run since Start(), or it was preempted by a tick in user mode (its user state is
// then the frame at the top of its kernel stack).
bool DiscardableReady(const ThreadSched& sched) {
  return sched.state.Load(MemoryOrder::kRelaxed) == ThreadState::kReady &&
         sched.link.owner != nullptr && (sched.first_run || sched.user_frame != nullptr);
}

// Takes a discardable ready thread out of its queue (its CPU locked) and saves its user state
// into user_regs.
void TakeOutOfQueue(CpuSched& cpu, ThreadSched& sched) TA_REQUIRES(cpu.lock) {
  cpu.queue.Remove(&sched.link);
  cpu.queued.Store(cpu.queue.count(), MemoryOrder::kRelaxed);
  if (sched.user_frame != nullptr) {
    arch::UserRegsFromSavedFrame(*sched.user_frame, &sched.user_regs);
    sched.user_regs.fs_base = sched.user_state.fs_base;
    sched.user_regs.gs_base = sched.user_state.gs_base;
    sched.user_frame = nullptr;
  }
  sched.first_run = false;
}

// Leaves the process (if the thread counted as live) and publishes the exit record. Thread
// context, no spinlock held.
void PublishExit(Thread& thread, const uapi::ThreadExit& record, bool counted_live) {
  g_live_threads.FetchSub(1, MemoryOrder::kRelaxed);
  if (counted_live) thread.owner_hooks().exited(thread);
  WaitQueueGuard guard(ThreadAccess::exit_waiters(thread));
  ThreadAccess::exited(thread) = true;
  ThreadAccess::exit_record(thread) = record;
}

}  // namespace

void RetainThreadReference(Thread* thread) {
  // The run queue owns one reference while the thread is queued or running.
  thread->owner_hooks().retain(*thread);
}

void ReleaseThreadReference(Thread* thread) {
  thread->owner_hooks().release(*thread);
}

Result<void, uapi::Status> StartThread(Thread& thread) {
  ThreadSched& sched = thread.sched();
  if (sched.idle) return Err{uapi::Status::kBusy};
  arch::InterruptState flags = SaveAndDisableInterrupts();
  uint32_t to = 0;
  uint32_t from = LockThreadAndTarget(thread, sched.affinity.Load(MemoryOrder::kRelaxed), &to);
  Cpu(from).lock.AssertHeld();  // LockThreadAndTarget returns both locked
  Cpu(to).lock.AssertHeld();
  Result<void, uapi::Status> result = Ok<uapi::Status>();
  bool queued = false;
  switch (sched.state.Load(MemoryOrder::kRelaxed)) {
    case ThreadState::kNew:
    case ThreadState::kStopped:
      if (sched.state.Load(MemoryOrder::kRelaxed) == ThreadState::kNew) {
        g_live_threads.FetchAdd(1, MemoryOrder::kRelaxed);
        if (sched.user) {
          // Before it can run (and exit) anywhere: the process must count it first.
          ThreadAccess::counted_live(thread) = true;
          thread.owner_hooks().started(thread);
        }
      }
      sched.stop_pending.Store(false, MemoryOrder::kRelaxed);
      PrepareFirstRun(sched);
      sched.first_run = true;
      sched.alive = true;
      RetainThreadReference(&thread);
      sched.cpu.Store(to, MemoryOrder::kRelaxed);
      EnqueueLocked(Cpu(to), &thread);
      queued = true;
      break;
    case ThreadState::kReady:
    case ThreadState::kRunning:
    case ThreadState::kBlocked:
      if (sched.stop_pending.Load(MemoryOrder::kRelaxed)) {
        sched.stop_pending.Store(false, MemoryOrder::kRelaxed);  // the stop never happened
      } else {
        result = Err{uapi::Status::kBusy};
      }
      break;
    case ThreadState::kExited:
      result = Err{uapi::Status::kBusy};
      break;
  }
  unsigned priority = sched.priority.Load(MemoryOrder::kRelaxed);
  uint64_t affinity = sched.affinity.Load(MemoryOrder::kRelaxed);
  UnlockPair(Cpu(from), Cpu(to));
  if (queued) Kick(to, priority, affinity);
  RestoreInterrupts(flags);
  PreemptIfNeeded();
  return result;
}

Result<void, uapi::Status> StopThread(Thread& thread) {
  ThreadSched& sched = thread.sched();
  if (!sched.user) return Err{uapi::Status::kInvalidArgument};
  arch::InterruptState flags = SaveAndDisableInterrupts();
  CpuSched& cpu = LockThreadCpu(&thread);
  cpu.lock.AssertHeld();  // LockThreadCpu returns it locked
  Result<void, uapi::Status> result = Ok<uapi::Status>();
  bool drop_reference = false;
  switch (sched.state.Load(MemoryOrder::kRelaxed)) {
    case ThreadState::kNew:
    case ThreadState::kStopped:
      break;
    case ThreadState::kReady:
      if (DiscardableReady(sched)) {
        TakeOutOfQueue(cpu, sched);
        sched.state.Store(ThreadState::kStopped, MemoryOrder::kRelaxed);
        sched.stop_pending.Store(false, MemoryOrder::kRelaxed);
        sched.alive = false;
        drop_reference = true;
        break;
      }
      [[fallthrough]];
    case ThreadState::kRunning:
    case ThreadState::kBlocked:
      sched.stop_pending.Store(true, MemoryOrder::kRelaxed);
      break;
    case ThreadState::kExited:
      result = Err{uapi::Status::kBusy};
      break;
  }
  cpu.lock.Unlock();
  RestoreInterrupts(flags);
  // An interruptible wait (NotifyWait) ends so that the stop can take effect.
  if (result.ok()) InterruptBlockedThread(&thread);
  // The caller holds its own reference, so this is never the last one.
  if (drop_reference) ReleaseThreadReference(&thread);
  return result;
}

void KillThread(Thread& thread) {
  ThreadSched& sched = thread.sched();
  if (sched.idle) return;
  arch::InterruptState flags = SaveAndDisableInterrupts();
  CpuSched& cpu = LockThreadCpu(&thread);
  cpu.lock.AssertHeld();  // LockThreadCpu returns it locked
  bool claimed = false;
  bool scheduler_reference = false;
  switch (sched.state.Load(MemoryOrder::kRelaxed)) {
    case ThreadState::kExited:
      break;
    case ThreadState::kNew:
    case ThreadState::kStopped:
      claimed = true;
      break;
    case ThreadState::kReady:
      if (DiscardableReady(sched)) {
        TakeOutOfQueue(cpu, sched);
        scheduler_reference = sched.alive;
        sched.alive = false;
        claimed = true;
        break;
      }
      [[fallthrough]];
    case ThreadState::kRunning:
    case ThreadState::kBlocked:
      sched.kill_pending.Store(true, MemoryOrder::kRelaxed);
      break;
  }
  bool counted_live = false;
  bool was_started = sched.state.Load(MemoryOrder::kRelaxed) != ThreadState::kNew;
  if (claimed) {
    sched.state.Store(ThreadState::kExited, MemoryOrder::kRelaxed);
    counted_live = ThreadAccess::counted_live(thread);
    ThreadAccess::counted_live(thread) = false;
  }
  cpu.lock.Unlock();
  RestoreInterrupts(flags);
  if (!claimed) {
    // An interruptible wait (NotifyWait) ends so that the kill can take effect.
    InterruptBlockedThread(&thread);
    return;
  }
  if (!was_started) g_live_threads.FetchAdd(1, MemoryOrder::kRelaxed);  // balance
  // The caller holds its own reference, so dropping the scheduler's is never the last one.
  if (scheduler_reference) ReleaseThreadReference(&thread);
  PublishExit(thread, {uapi::ExitReason::kKilled, 0, 0}, counted_live);
  ReleaseExitedThread(&thread, false);
}

void SetThreadPriority(Thread& thread, unsigned priority) {
  ThreadSched& sched = thread.sched();
  arch::InterruptState flags = SaveAndDisableInterrupts();
  CpuSched& cpu = LockThreadCpu(&thread);
  cpu.lock.AssertHeld();  // LockThreadCpu returns it locked
  bool ready = false;
  if (sched.state.Load(MemoryOrder::kRelaxed) == ThreadState::kReady &&
      sched.link.owner != nullptr) {
    cpu.queue.Remove(&sched.link);
    sched.priority.Store(static_cast<uint8_t>(priority), MemoryOrder::kRelaxed);
    cpu.queue.Push(&sched.link, priority);
    ready = true;
  } else {
    bool lowered = priority < sched.priority.Load(MemoryOrder::kRelaxed);
    sched.priority.Store(static_cast<uint8_t>(priority), MemoryOrder::kRelaxed);
    if (cpu.current == &thread) {
      cpu.current_priority.Store(priority, MemoryOrder::kRelaxed);
      // Something queued may now be more important than it.
      if (lowered) cpu.need_resched.Store(true, MemoryOrder::kRelaxed);
    }
  }
  uint64_t affinity = sched.affinity.Load(MemoryOrder::kRelaxed);
  cpu.lock.Unlock();
  if (ready) Kick(cpu.index, priority, affinity);
  RestoreInterrupts(flags);
  PreemptIfNeeded();
}

Result<void, uapi::Status> SetThreadAffinity(Thread& thread, uint64_t cpu_mask) {
  ThreadSched& sched = thread.sched();
  if (sched.idle) return Err{uapi::Status::kInvalidArgument};
  if (cpu_mask != 0 && (cpu_mask & OnlineMask()) == 0) {
    return Err{uapi::Status::kInvalidArgument};
  }
  arch::InterruptState flags = SaveAndDisableInterrupts();
  uint32_t to = 0;
  uint32_t from = LockThreadAndTarget(thread, cpu_mask, &to);
  Cpu(from).lock.AssertHeld();  // LockThreadAndTarget returns both locked
  Cpu(to).lock.AssertHeld();
  sched.affinity.Store(cpu_mask, MemoryOrder::kRelaxed);
  bool kick = false;
  if (!AllowedOn(sched, from)) {
    switch (sched.state.Load(MemoryOrder::kRelaxed)) {
      case ThreadState::kReady:
        if (sched.link.owner != nullptr) {
          Cpu(from).queue.Remove(&sched.link);
          Cpu(from).queued.Store(Cpu(from).queue.count(), MemoryOrder::kRelaxed);
          sched.cpu.Store(to, MemoryOrder::kRelaxed);
          EnqueueLocked(Cpu(to), &thread);
          kick = true;
        }  // else: in transit, FinishSwitch places it with the new mask
        break;
      case ThreadState::kRunning:
        // It moves when it is next preempted (Reschedule does not queue it here again).
        Cpu(from).need_resched.Store(true, MemoryOrder::kRelaxed);
        break;
      case ThreadState::kNew:
      case ThreadState::kStopped:
      case ThreadState::kBlocked:
      case ThreadState::kExited:
        sched.cpu.Store(to, MemoryOrder::kRelaxed);
        break;
    }
  }
  unsigned priority = sched.priority.Load(MemoryOrder::kRelaxed);
  UnlockPair(Cpu(from), Cpu(to));
  if (kick) Kick(to, priority, cpu_mask);
  RestoreInterrupts(flags);
  PreemptIfNeeded();
  return Ok<uapi::Status>();
}

Result<void, uapi::Status> GetThreadRegs(Thread& thread, uapi::ThreadRegs* out) {
  ThreadSched& sched = thread.sched();
  if (!sched.user) return Err{uapi::Status::kInvalidArgument};
  arch::InterruptState flags = SaveAndDisableInterrupts();
  CpuSched& cpu = LockThreadCpu(&thread);
  cpu.lock.AssertHeld();  // LockThreadCpu returns it locked
  bool stopped = sched.state.Load(MemoryOrder::kRelaxed) == ThreadState::kNew ||
                 sched.state.Load(MemoryOrder::kRelaxed) == ThreadState::kStopped;
  if (stopped) *out = sched.user_regs;
  cpu.lock.Unlock();
  RestoreInterrupts(flags);
  if (!stopped) return Err{uapi::Status::kBusy};
  return Ok<uapi::Status>();
}

Result<void, uapi::Status> SetThreadRegs(Thread& thread, const uapi::ThreadRegs& in) {
  ThreadSched& sched = thread.sched();
  if (!sched.user) return Err{uapi::Status::kInvalidArgument};
  if (!IsUserAddress(in.rip) || !IsUserAddress(in.rsp) || !IsUserAddress(in.fs_base) ||
      !IsUserAddress(in.gs_base)) {
    return Err{uapi::Status::kInvalidArgument};
  }
  arch::InterruptState flags = SaveAndDisableInterrupts();
  CpuSched& cpu = LockThreadCpu(&thread);
  cpu.lock.AssertHeld();  // LockThreadCpu returns it locked
  bool stopped = sched.state.Load(MemoryOrder::kRelaxed) == ThreadState::kNew ||
                 sched.state.Load(MemoryOrder::kRelaxed) == ThreadState::kStopped;
  if (stopped) {
    sched.user_regs = in;
    sched.user_regs.rflags = arch::UserMode::SanitizeFlags(in.rflags);
  }
  cpu.lock.Unlock();
  RestoreInterrupts(flags);
  if (!stopped) return Err{uapi::Status::kBusy};
  return Ok<uapi::Status>();
}

Result<uapi::ThreadExit, uapi::Status> WaitThread(Thread& thread) {
  Thread* self = CurrentThread();
  if (self == nullptr || self == &thread) return Err{uapi::Status::kBusy};
  bool drop_reference = false;
  uint64_t ticket;
  uapi::ThreadExit record;
  {
    WaitQueueGuard guard(ThreadAccess::exit_waiters(thread));
    while (!ThreadAccess::released(thread).Load(MemoryOrder::kRelaxed)) guard.Block();
    record = ThreadAccess::exit_record(thread);
    ticket = ThreadAccess::reap_ticket(thread);
    if (ThreadAccess::handoff(thread)) {
      ThreadAccess::handoff(thread) = false;
      drop_reference = true;
    }
  }
  // The scheduler's last reference, handed to the waiters; the caller still holds its own.
  if (drop_reference) ReleaseThreadReference(&thread);
  // Or the reaper drops it right after publishing: a few instructions, so yield until then.
  // Afterwards the caller's references are the only ones the scheduler does not account for.
  while (ticket != 0 && ReapedTickets() < ticket) Yield();
  return record;
}

void ExitCurrent(const uapi::ThreadExit& record) {
  Thread* self = CurrentThread();
  if (self == nullptr) panic::Panic("sched: ExitCurrentThread outside thread context");
  arch::InterruptState flags = SaveAndDisableInterrupts();
  CpuSched& locked = LockThreadCpu(self);
  locked.lock.AssertHeld();  // LockThreadCpu returns it locked
  bool counted_live = ThreadAccess::counted_live(*self);
  ThreadAccess::counted_live(*self) = false;
  locked.lock.Unlock();
  RestoreInterrupts(flags);
  PublishExit(*self, record, counted_live);
  arch::DisableInterrupts();
  CpuSched& cpu = ThisCpu();
  cpu.lock.Lock();
  self->sched().state.Store(ThreadState::kExited, MemoryOrder::kRelaxed);
  Reschedule(cpu);
  panic::Panic("sched: exited thread %u resumed", self->id());
}

void ForgetThread(Thread& thread) {
  // A stopped thread was started and never exited: it stops counting as live now.
  if (thread.sched().state.Load(MemoryOrder::kRelaxed) == ThreadState::kStopped) {
    g_live_threads.FetchSub(1, MemoryOrder::kRelaxed);
  }
}

}  // namespace internal

uint64_t LiveThreadCount() {
  return internal::g_live_threads.Load(MemoryOrder::kRelaxed);
}

}  // namespace hiillos::sched
