// kernel/sched/reaper.h — internal to kernel/sched: the reaper thread, which drops the
// scheduler's reference to threads that stopped or exited (and frees an exited thread's
// kernel stack) in thread context, after their CPU has switched away from them.
//
// Why a thread: dropping the last reference destroys the Thread and possibly its Process and
// address space (TLB shootdowns, many pages); FinishSwitch runs with interrupts off in
// whatever context comes next, where that must not happen.
#pragma once

#include <stdint.h>

namespace hiillos::sched {
class Thread;  // thread.h
}

namespace hiillos::sched::internal {

// Creates and starts the reaper (priority kKernelPriority, any CPU). Boot CPU, from InitCpu(0).
void StartReaper();

// Hands one scheduler reference of `thread` to the reaper (any context, interrupts off or on,
// no run-queue lock held).
void QueueForReaper(Thread* thread);

// The end of an exited thread once no CPU runs it: frees its kernel stack, marks it released
// and wakes Wait()ers. `scheduler_reference` (the reaper only): the caller owns the
// scheduler's reference, which goes to the waiters if there are any (the first to return
// drops it) and is otherwise dropped here under a ticket (see ReapedTickets). Thread context,
// no spinlock held.
void ReleaseExitedThread(Thread* thread, bool scheduler_reference);

// The highest ticket whose reference the reaper has dropped. A thread with a nonzero
// reap_ticket is fully released once ReapedTickets() >= its ticket.
uint64_t ReapedTickets();

}  // namespace hiillos::sched::internal
