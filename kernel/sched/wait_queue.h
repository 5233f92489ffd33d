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
// Lock order: a wait-queue lock is taken before any run-queue lock (docs/locking.md). Never
// hold a spinlock other than the guard's own when calling Block().
#pragma once

#include <stdint.h>

#include "kernel/arch/interrupts.h"
#include "kernel/arch/spinlock.h"
#include "kernel/sched/thread_list.h"
#include "lib/base/thread_annotations.h"

namespace hiillos::sched {

class WaitQueueGuard;
namespace internal {
struct CpuSched;                      // cpu_sched.h
void ExpireDeadlines(CpuSched& cpu);  // cpu_sched.h
void PreemptIfNeeded();               // cpu_sched.h
}  // namespace internal

// How a BlockInterruptibleUntil() ended.
enum class WaitResult : uint8_t {
  kWoken,        // a waker woke it
  kInterrupted,  // a stop or kill request of the thread (WaitQueue::Interrupt)
  kTimedOut,     // the deadline passed
};

class WaitQueue {
 public:
  constexpr WaitQueue() = default;
  WaitQueue(const WaitQueue&) = delete;
  WaitQueue& operator=(const WaitQueue&) = delete;

  // Convenience: lock, wake, unlock. Return whether/how many threads were woken.
  bool WakeOne(uint64_t value = 0) TA_EXCLUDES(lock_);
  uint32_t WakeAll(uint64_t value = 0) TA_EXCLUDES(lock_);

  // Cuts short an interruptible Block() of `thread` (WaitQueueGuard::BlockInterruptible) if it
  // is in one, or about to enter one: call after setting its stop or kill request. Any
  // context with no wait-queue or run-queue lock held.
  static void Interrupt(Thread& thread);

  // Makes a thread taken with WaitQueueGuard::TakeOne ready, as a WakeOne would have. Any
  // context with no wait-queue or run-queue lock held.
  static void ReadyTaken(Thread* taken);

  // Number of waiters; hold a WaitQueueGuard on this queue.
  uint32_t WaiterCount() const TA_REQUIRES(lock_) { return waiters_.size(); }

 private:
  friend class WaitQueueGuard;
  friend void internal::ExpireDeadlines(internal::CpuSched& cpu);

  // Drops lock_ while asleep; holds it again on return.
  uint64_t BlockLocked() TA_REQUIRES(lock_);
  bool BlockInterruptibleLocked(Thread* next) TA_REQUIRES(lock_);
  uint64_t BlockHandingOffLocked(Thread* self, Thread* next) TA_REQUIRES(lock_);
  WaitResult BlockInterruptibleUntilLocked(uint64_t deadline_tsc) TA_REQUIRES(lock_);
  bool WakeOneLocked(uint64_t value) TA_REQUIRES(lock_);
  uint32_t WakeAllLocked(uint64_t value) TA_REQUIRES(lock_);

  // Taken only with interrupts disabled (WaitQueueGuard does it), so interrupt handlers may
  // wake threads.
  SpinLock lock_;
  ThreadList waiters_ TA_GUARDED(lock_);
};

class TA_SCOPED_CAPABILITY WaitQueueGuard {
 public:
  // Disables interrupts (restored by the destructor) and takes the queue's lock. Inline: IPC
  // takes two of these per direct switch.
  explicit WaitQueueGuard(WaitQueue& queue) TA_ACQUIRE(queue.lock_)
      : queue_(queue), saved_flags_(arch::SaveAndDisableInterrupts()) {
    queue_.lock_.Lock();
  }
  ~WaitQueueGuard() TA_RELEASE() {
    queue_.lock_.Unlock();
    arch::RestoreInterrupts(saved_flags_);
    // A thread woken here may be more important than the caller.
    if (arch::InterruptsWereEnabled(saved_flags_)) internal::PreemptIfNeeded();
  }
  WaitQueueGuard(const WaitQueueGuard&) = delete;
  WaitQueueGuard& operator=(const WaitQueueGuard&) = delete;

  // Puts the calling thread to sleep on the queue, releasing the lock while asleep; returns
  // with the lock held again and the value its waker passed. Thread context only (panics on a
  // CPU's idle/boot context). Spurious returns do not happen, but re-check your condition: a
  // WakeAll or another waker may have consumed it.
  uint64_t Block();
  // Like Block(), for waits a user thread makes on its own behalf (ThreadWait, ...): returns
  // false without having been woken if the thread was asked to stop or be killed (before or
  // while it sleeps; WaitQueue::Interrupt wakes it), so the call can return
  // Status::kInterrupted and the request take effect on the way back to user mode. True: woken
  // by a waker (its value is dropped). The lock is held again either way.
  bool BlockInterruptible();
  // Like BlockInterruptible(), and the wait also ends when the cycle counter (arch
  // ReadCycleCounter) reaches `deadline_tsc`: kTimedOut, at once if it already has. The
  // deadline is a timer in the wheel of the CPU the thread blocks on; that CPU's tick fires it,
  // so the wake-up comes at most a tick (1/kTickHz) plus the wheel's granularity (under 1/8 of
  // the delay, timer_wheel.h) after the deadline, never before it. No allocation: the timer
  // lives in the thread. Wakers must not pass the values ~0 and ~1 (they mean interrupted and
  // timed out inside the scheduler).
  WaitResult BlockInterruptibleUntil(uint64_t deadline_tsc);
  bool WakeOne(uint64_t value = 0);
  uint32_t WakeAll(uint64_t value = 0);

  // The direct switch of IPC (docs/ipc.md, "Fast path"), in two halves so that no two
  // wait-queue locks are ever held together:
  // TakeOne removes the first waiter without making it ready; it is in no queue until the
  // caller passes it to BlockHandingOff (on its own queue) or ReadyTaken, which it must do
  // before interrupts are on again. Null if there is no waiter. Its Block() returns 0.
  Thread* TakeOne() {
    queue_.lock_.AssertHeld();  // the guard holds it
    ThreadLink* link = queue_.waiters_.PopFront();
    return link != nullptr ? link->thread : nullptr;
  }
  // BlockInterruptible(), handing this CPU straight to `next` (from TakeOne) when `next` is
  // assigned to this CPU and no queued thread outranks it: no run-queue trip, no pick.
  // Otherwise (or when a stop or kill request is already pending) `next` is made ready as
  // WakeOne would. `next` may be null (BlockInterruptible).
  bool BlockInterruptibleHandingOff(Thread* next) {
    queue_.lock_.AssertHeld();  // the guard holds it
    return queue_.BlockInterruptibleLocked(next);
  }

 private:
  WaitQueue& queue_;
  arch::InterruptState saved_flags_;
};

}  // namespace hiillos::sched
