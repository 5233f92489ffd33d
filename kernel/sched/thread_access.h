// kernel/sched/thread_access.h — internal to kernel/sched: ThreadAccess, the scheduler's window
// into object::Thread's private state (the class befriends it). Each accessor names the lock
// that guards what it returns (see thread.h).
#pragma once

#include "kernel/object/process.h"
#include "kernel/object/thread.h"

namespace hiillos::sched::internal {

struct ThreadAccess {
  using Thread = object::Thread;

  static Result<Thread*, uapi::Status> AllocateIdle() { return Thread::Allocate(nullptr, false); }
  static void SetName(Thread& thread, const char* name) {
    size_t i = 0;
    for (; name[i] != '\0' && i + 1 < Thread::kNameLength; ++i) thread.name_[i] = name[i];
    thread.name_[i] = '\0';
  }
  static Thread::KernelEntry entry(Thread& thread) { return thread.kernel_entry_; }
  static void* entry_arg(Thread& thread) { return thread.kernel_arg_; }
  // Run-queue lock.
  static bool& counted_live(Thread& thread) { return thread.counted_live_; }
  // exit_waiters's lock.
  static WaitQueue& exit_waiters(Thread& thread) { return thread.exit_waiters_; }
  static bool& exited(Thread& thread) { return thread.exited_; }
  static bool& released(Thread& thread) { return thread.released_; }
  static bool& handoff(Thread& thread) { return thread.handoff_; }
  static uint64_t& reap_ticket(Thread& thread) { return thread.reap_ticket_; }
  static uapi::ThreadExit& exit_record(Thread& thread) { return thread.exit_; }
};

}  // namespace hiillos::sched::internal
