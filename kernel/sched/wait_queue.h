// kernel/sched/wait_queue.h — WaitQueue: threads blocked until someone wakes them, the one
// blocking primitive of the kernel (thread exit/wait now, IPC and notifications later).
//
// Usage, like a condition variable whose mutex is the queue's own lock:
//
//   WaitQueueGuard guard(queue);          // lock (interrupts off while held)
//   while (!condition) guard.Block();     // sleep; the lock is dropped while asleep
//   ... consume ...                       // lock held again here
//
//   WaitQueueGuard guard(queue);          // the other side
//   condition = true;
//   guard.WakeOne(value);                 // or WakeAll; Block() returns `value`
//
// Wakers may run on any CPU, in thread or interrupt context. A woken thread goes back to the
// run queue of the CPU it blocked on; if it has a higher priority than what runs there, that
// CPU reschedules (at once when local, at its next tick otherwise).
//
// Interruptible waits (BlockInterruptible) end early when the thread is asked to stop or to
// die: ThreadStop and the kill of its process wake it with kWakeInterrupted, and a thread with
// such a request pending does not go to sleep at all. The syscall then returns at once and the
// request takes effect on the way back to user mode.
//
// Lock order: a wait-queue lock is taken before any run-queue lock (docs/locking.md); the one
// exception, InterruptBlockedThread, takes a queue's lock while holding a run-queue lock only
// with TryLock. Never hold a spinlock other than the guard's own when calling Block().
#pragma once

#include <stdint.h>

#include "kernel/arch/interrupts.h"
#include "kernel/arch/spinlock.h"
#include "kernel/sched/thread_list.h"
#include "lib/base/thread_annotations.h"

namespace hiillos::sched {

class WaitQueueGuard;
class Thread;

// What BlockInterruptible returns when a stop or kill request ended the wait. Wakers must not
// pass it as their value.
inline constexpr uint64_t kWakeInterrupted = ~uint64_t{0};

// Wakes `thread` with kWakeInterrupted if it sleeps in BlockInterruptible (after its stop or
// kill request was recorded); does nothing otherwise. Thread context or interrupts off; no
// wait-queue or run-queue lock held.
void InterruptBlockedThread(Thread* thread);

class WaitQueue {
 public:
  constexpr WaitQueue() = default;
  WaitQueue(const WaitQueue&) = delete;
  WaitQueue& operator=(const WaitQueue&) = delete;

  // Convenience: lock, wake, unlock. Return whether/how many threads were woken.
  bool WakeOne(uint64_t value = 0) TA_EXCLUDES(lock_);
  uint32_t WakeAll(uint64_t value = 0) TA_EXCLUDES(lock_);

  // Number of waiters; hold a WaitQueueGuard on this queue.
  uint32_t WaiterCount() const TA_REQUIRES(lock_) { return waiters_.size(); }

 private:
  friend class WaitQueueGuard;

  friend void InterruptBlockedThread(Thread* thread);

  // Drops lock_ while asleep; holds it again on return. `interruptible`: see
  // BlockInterruptible.
  uint64_t BlockLocked(bool interruptible) TA_REQUIRES(lock_);
  bool WakeOneLocked(uint64_t value) TA_REQUIRES(lock_);
  uint32_t WakeAllLocked(uint64_t value) TA_REQUIRES(lock_);

  // Taken only with interrupts disabled (WaitQueueGuard does it), so interrupt handlers may
  // wake threads.
  SpinLock lock_;
  ThreadList waiters_ TA_GUARDED(lock_);
};

class TA_SCOPED_CAPABILITY WaitQueueGuard {
 public:
  // Disables interrupts (restored by the destructor) and takes the queue's lock.
  explicit WaitQueueGuard(WaitQueue& queue) TA_ACQUIRE(queue.lock_);
  ~WaitQueueGuard() TA_RELEASE();
  WaitQueueGuard(const WaitQueueGuard&) = delete;
  WaitQueueGuard& operator=(const WaitQueueGuard&) = delete;

  // Puts the calling thread to sleep on the queue, releasing the lock while asleep; returns
  // with the lock held again and the value its waker passed. Thread context only (panics on a
  // CPU's idle/boot context). Spurious returns do not happen, but re-check your condition: a
  // WakeAll or another waker may have consumed it.
  uint64_t Block();
  // Like Block(), but returns kWakeInterrupted without sleeping when the calling thread has a
  // stop or kill request pending, and is woken with it when such a request arrives while it
  // sleeps. For waits a syscall starts on behalf of user space (NotifyWait).
  uint64_t BlockInterruptible();
  bool WakeOne(uint64_t value = 0);
  uint32_t WakeAll(uint64_t value = 0);

 private:
  WaitQueue& queue_;
  arch::InterruptState saved_flags_;
};

}  // namespace hiillos::sched
