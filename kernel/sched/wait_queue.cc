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

uint64_t WaitQueue::BlockLocked() {
  Thread* self = CurrentThread();
  if (self == nullptr) panic::Panic("sched: Block() outside thread context");
  ThreadSched& sched = self->sched();
  CpuSched& cpu = internal::ThisCpu();
  waiters_.PushBack(&sched.link);
  cpu.lock.Lock();
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
  return queue_.BlockLocked();
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
