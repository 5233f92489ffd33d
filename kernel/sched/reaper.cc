// kernel/sched/reaper.cc — the reaper thread and the release of exited threads (reaper.h).
#include "kernel/sched/reaper.h"

#include "kernel/panic/panic.h"
#include "kernel/sched/cpu_sched.h"
#include "kernel/sched/kernel_stack.h"
#include "kernel/sched/thread.h"
#include "kernel/sched/thread_access.h"
#include "kernel/sched/thread_control.h"
#include "kernel/sched/wait_queue.h"
#include "lib/base/atomic.h"

namespace hiillos::sched::internal {
namespace {

// The threads the reaper owes a release, guarded by g_wait's lock.
WaitQueue g_wait;
ThreadList g_pending;

// Tickets for scheduler references the reaper drops after publishing `released` (no waiter
// was there to take them): WaitThread waits until g_reap_done reaches its thread's ticket, so
// that when Wait() returns the last reference is no longer the reaper's. Only the reaper
// thread takes tickets, in order.
uint64_t g_reap_issued;  // reaper thread only
Atomic<uint64_t> g_reap_done;

void ReaperMain(void*) {
  for (;;) {
    Thread* thread;
    uint32_t references;
    bool release_exit = false;
    {
      WaitQueueGuard guard(g_wait);
      while (g_pending.empty()) guard.Block();
      ThreadLink* link = g_pending.PopFront();
      thread = link->thread;
      ThreadSched& sched = thread->sched();
      references = sched.reap_count;
      sched.reap_count = 0;
      if (sched.exit_switched_out && !sched.exit_reaped) {
        sched.exit_reaped = true;
        release_exit = true;
      }
    }
    // Earlier stop references first: the exit reference (if any) keeps the object alive.
    for (uint32_t i = release_exit ? 1 : 0; i < references; ++i) ReleaseThreadReference(thread);
    if (release_exit) ReleaseExitedThread(thread, true);
  }
}

}  // namespace

void StartReaper() {
  auto reaper = CreateDetachedKernelThread("reaper", ReaperMain, nullptr);
  if (!reaper.ok()) panic::Panic("sched: no memory for the reaper thread");
  SetThreadPriority(*reaper.value(), kKernelPriority);  // above every user thread
  if (!StartThread(*reaper.value()).ok()) panic::Panic("sched: cannot start the reaper thread");
  // Owned by the scheduler (no references); it never exits.
}

void QueueForReaper(Thread* thread) {
  WaitQueueGuard guard(g_wait);
  ThreadSched& sched = thread->sched();
  if (sched.reap_count++ == 0) {
    sched.reap_link.thread = thread;
    g_pending.PushBack(&sched.reap_link);
  }
  guard.WakeOne();
}

void ReleaseExitedThread(Thread* thread, bool scheduler_reference) {
  FreeKernelStack(thread->sched().stack);
  uint64_t ticket = 0;
  {
    WaitQueue& waiters = ThreadAccess::exit_waiters(*thread);
    WaitQueueGuard guard(waiters);
    ThreadAccess::released(*thread).Store(true, MemoryOrder::kRelease);
    if (scheduler_reference) {
      if (waiters.WaiterCount() != 0) {
        ThreadAccess::handoff(*thread) = true;  // the first waiter to return drops it
      } else {
        ticket = ++g_reap_issued;
        ThreadAccess::reap_ticket(*thread) = ticket;
      }
    }
    guard.WakeAll();
  }
  if (ticket != 0) {
    ReleaseThreadReference(thread);
    g_reap_done.Store(ticket, MemoryOrder::kRelease);
  }
}

uint64_t ReapedTickets() {
  return g_reap_done.Load(MemoryOrder::kAcquire);
}

}  // namespace hiillos::sched::internal
