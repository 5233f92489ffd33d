// kernel/sched/thread_access.h — internal to kernel/sched: ThreadAccess, the scheduler's window
// into sched::Thread's private state (the class befriends it). Each accessor names the lock
// that guards what it returns (see thread.h).
#pragma once

#include "kernel/sched/thread.h"

namespace hiillos::sched {

// cpu_sched idle contexts: a scheduler-owned thread without a stack (thread.cc).
namespace internal {
Result<Thread*, uapi::Status> AllocateIdleThread(uint32_t cpu);
}

namespace internal {

struct ThreadAccess {
  static Thread::KernelEntry entry(Thread& thread) { return thread.kernel_entry_; }
  static void* entry_arg(Thread& thread) { return thread.kernel_arg_; }
  // Run-queue lock.
  static bool& counted_live(Thread& thread) { return thread.counted_live_; }
  // exit_waiters's lock.
  static WaitQueue& exit_waiters(Thread& thread) { return thread.exit_waiters_; }
  static bool& exited(Thread& thread) { return thread.exited_; }
  static Atomic<bool>& released(Thread& thread) { return thread.released_; }
  static bool& handoff(Thread& thread) { return thread.handoff_; }
  static uint64_t& reap_ticket(Thread& thread) { return thread.reap_ticket_; }
  static uapi::ThreadExit& exit_record(Thread& thread) { return thread.exit_; }
};

}  // namespace internal
}  // namespace hiillos::sched
