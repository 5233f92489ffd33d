// kernel/sched/wait_queue.cc — blocking on and waking from a WaitQueue.
#include "kernel/sched/wait_queue.h"

#include "kernel/panic/panic.h"
#include "kernel/sched/cpu_sched.h"
#include "kernel/sched/thread.h"

namespace hiillos::sched {

using internal::CpuSched;

namespace {

// Makes the blocked thread of `link` (just removed from a wait queue) ready again on its CPU.
// Interrupts off; the wait-queue lock is held (lock order: wait queue, then run queue).
void MakeReady(ThreadLink* link, uint64_t value) {
  Thread* thread = link->thread;
  ThreadSched& sched = thread->sched();
  CpuSched& cpu = internal::LockThreadCpu(thread);
  cpu.lock.AssertHeld();  // LockThreadCpu returns it locked
  sched.blocked_on = nullptr;
  sched.wake_value = value;
  // A blocked thread's CPU is always one its affinity allows (SetAffinity moves it).
  internal::EnqueueLocked(cpu, thread);
  unsigned priority = sched.priority.Load(MemoryOrder::kRelaxed);
  uint64_t affinity = sched.affinity.Load(MemoryOrder::kRelaxed);
  cpu.lock.Unlock();
  internal::Kick(cpu.index, priority, affinity);
}

}  // namespace

bool WaitQueue::WakeOneLocked(uint64_t value) {
  ThreadLink* link = waiters_.PopFront();
  if (link == nullptr) return false;
  MakeReady(link, value);
  return true;
}

uint32_t WaitQueue::WakeAllLocked(uint64_t value) {
  uint32_t woken = 0;
  while (WakeOneLocked(value)) ++woken;
  return woken;
}

bool WaitQueue::WakeOne(uint64_t value) {
  WaitQueueGuard guard(*this);
  return guard.WakeOne(value);
}

uint32_t WaitQueue::WakeAll(uint64_t value) {
  WaitQueueGuard guard(*this);
  return guard.WakeAll(value);
}

WaitQueueGuard::WaitQueueGuard(WaitQueue& queue) : queue_(queue) {
  saved_flags_ = internal::SaveAndDisableInterrupts();
  queue_.lock_.Lock();
}

WaitQueueGuard::~WaitQueueGuard() {
  queue_.lock_.Unlock();
  internal::RestoreInterrupts(saved_flags_);
  // A thread woken here may be more important than the caller.
  if (arch::InterruptsWereEnabled(saved_flags_)) internal::PreemptIfNeeded();
}

uint64_t WaitQueue::BlockLocked(bool interruptible) {
  Thread* self = CurrentThread();
  if (self == nullptr) panic::Panic("sched: Block() outside thread context");
  ThreadSched& sched = self->sched();
  CpuSched& cpu = internal::ThisCpu();
  cpu.lock.Lock();
  // Stop and kill requests are recorded under this lock: either one is visible here, or its
  // sender sees this thread blocked (below) and wakes it (InterruptBlockedThread).
  if (interruptible && (sched.stop_pending.Load(MemoryOrder::kRelaxed) ||
                        sched.kill_pending.Load(MemoryOrder::kRelaxed))) {
    cpu.lock.Unlock();
    return kWakeInterrupted;
  }
  waiters_.PushBack(&sched.link);
  sched.blocked_on = interruptible ? this : nullptr;
  sched.state.Store(ThreadState::kBlocked, MemoryOrder::kRelaxed);
  // From here a waker may take the link, but it cannot make the thread ready before this CPU
  // has switched away from it: that needs cpu.lock, which FinishSwitch releases.
  lock_.Unlock();
  internal::Reschedule(cpu);
  lock_.Lock();
  return sched.wake_value;
}

uint64_t WaitQueueGuard::Block() {
  queue_.lock_.AssertHeld();  // the guard holds it
  return queue_.BlockLocked(false);
}

uint64_t WaitQueueGuard::BlockInterruptible() {
  queue_.lock_.AssertHeld();  // the guard holds it
  return queue_.BlockLocked(true);
}

// `blocked_on` is written only with both the queue's lock and the thread's run-queue lock held,
// and is non-null exactly while the thread's link is in that queue. Holding both locks with the
// thread still kBlocked therefore means the link is there and the queue alive (the sleeping
// thread's syscall holds a reference to the object that owns it). The run-queue lock is taken
// first here, against the lock order, so the queue lock is only tried: on failure both are
// dropped and the attempt repeats (whoever holds the queue lock finishes in bounded time).
void InterruptBlockedThread(Thread* thread) TA_NO_THREAD_SAFETY_ANALYSIS {
  ThreadSched& sched = thread->sched();
  for (;;) {
    arch::InterruptState flags = internal::SaveAndDisableInterrupts();
    CpuSched& cpu = internal::LockThreadCpu(thread);
    WaitQueue* queue = sched.blocked_on;
    if (sched.state.Load(MemoryOrder::kRelaxed) != ThreadState::kBlocked || queue == nullptr) {
      cpu.lock.Unlock();
      internal::RestoreInterrupts(flags);
      return;
    }
    if (!queue->lock_.TryLock()) {
      cpu.lock.Unlock();
      internal::RestoreInterrupts(flags);
      arch::Pause();
      continue;
    }
    queue->waiters_.Remove(&sched.link);
    sched.blocked_on = nullptr;
    sched.wake_value = kWakeInterrupted;
    internal::EnqueueLocked(cpu, thread);
    unsigned priority = sched.priority.Load(MemoryOrder::kRelaxed);
    uint64_t affinity = sched.affinity.Load(MemoryOrder::kRelaxed);
    queue->lock_.Unlock();
    cpu.lock.Unlock();
    internal::Kick(cpu.index, priority, affinity);
    internal::RestoreInterrupts(flags);
    return;
  }
}

bool WaitQueueGuard::WakeOne(uint64_t value) {
  queue_.lock_.AssertHeld();  // the guard holds it
  return queue_.WakeOneLocked(value);
}

uint32_t WaitQueueGuard::WakeAll(uint64_t value) {
  queue_.lock_.AssertHeld();  // the guard holds it
  return queue_.WakeAllLocked(value);
}

}  // namespace hiillos::sched
