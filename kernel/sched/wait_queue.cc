// kernel/sched/wait_queue.cc — blocking on and waking from a WaitQueue.
#include "kernel/sched/wait_queue.h"

#include "kernel/arch/cycle_counter.h"
#include "kernel/arch/timer.h"
#include "kernel/panic/panic.h"
#include "kernel/sched/cpu_sched.h"
#include "kernel/sched/thread.h"
#include "kernel/time/clock.h"

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

// The wake value WaitQueue::Interrupt passes (wakers' values are the caller's business, but
// BlockInterruptible drops them, so this one cannot be confused with a real wake-up there).
constexpr uint64_t kInterruptedWake = ~uint64_t{0};
// The wake value of a deadline that passed (ExpireDeadlines).
constexpr uint64_t kTimedOutWake = ~uint64_t{1};

// Ticks from the calling CPU's timer-wheel time `now_tick` after which the cycle counter will
// have reached `deadline_tsc` (the tick that fires re-checks the counter and re-files early
// timers, so this only needs to be close).
uint64_t ExpiryTick(uint64_t now_tick, uint64_t deadline_tsc) {
  uint64_t now_tsc = arch::ReadCycleCounter();
  if (deadline_tsc <= now_tsc) return now_tick + 1;
  uint64_t per_tick = time::TscHz() / arch::kTickHz;
  if (per_tick == 0) per_tick = 1;
  uint64_t ticks = (deadline_tsc - now_tsc) / per_tick + 1;
  if (ticks > TimerWheel::kMaxDelay) ticks = TimerWheel::kMaxDelay;
  return now_tick + ticks;
}

bool StopOrKillPending(const ThreadSched& sched) {
  return sched.stop_pending.Load(MemoryOrder::kSeqCst) ||
         sched.kill_pending.Load(MemoryOrder::kSeqCst);
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

// Inlined into its one caller, BlockInterruptibleLocked (the IPC direct switch's path).
// `self` is the current thread, `next` not null.
[[gnu::always_inline]] inline uint64_t WaitQueue::BlockHandingOffLocked(Thread* self,
                                                                        Thread* next) {
  ThreadSched& sched = self->sched();
  CpuSched& cpu = internal::ThisCpu();
  cpu.lock.Lock();
  // Assigned elsewhere (its CPU can change only under that CPU's lock, and this one is held
  // while it names us): the ordinary wake-up on its CPU, then the ordinary block.
  if (next->sched().cpu.Load(MemoryOrder::kRelaxed) != cpu.index) {
    cpu.lock.Unlock();
    MakeReady(&next->sched().link, 0);
    return BlockLocked();
  }
  next->sched().wake_value = 0;
  waiters_.PushBack(&sched.link);
  sched.state.Store(ThreadState::kBlocked, MemoryOrder::kRelaxed);
  // As in BlockLocked: a waker may take our link from here, but cannot make us ready before
  // this CPU has switched away (that needs cpu.lock, which FinishSwitch releases).
  lock_.Unlock();
  internal::RescheduleTo(cpu, next);
  lock_.Lock();
  return sched.wake_value;
}

bool WaitQueue::BlockInterruptibleLocked(Thread* next) {
  Thread* self = CurrentThread();
  if (self == nullptr) panic::Panic("sched: Block() outside thread context");
  ThreadSched& sched = self->sched();
  // Publish where we sleep, then look at the requests: an interrupter sets its request first
  // and then looks here (both under wait_lock), so one of the two sees the other.
  sched.wait_lock.Lock();
  sched.interruptible_wait = this;
  bool pending = StopOrKillPending(sched);
  if (pending) sched.interruptible_wait = nullptr;
  sched.wait_lock.Unlock();
  if (pending) {
    if (next != nullptr) MakeReady(&next->sched().link, 0);  // not handed the CPU: woken
    return false;
  }
  uint64_t value = next != nullptr ? BlockHandingOffLocked(self, next) : BlockLocked();
  sched.wait_lock.Lock();
  sched.interruptible_wait = nullptr;
  sched.wait_lock.Unlock();
  return value != kInterruptedWake;
}

WaitResult WaitQueue::BlockInterruptibleUntilLocked(uint64_t deadline_tsc) {
  Thread* self = CurrentThread();
  if (self == nullptr) panic::Panic("sched: Block() outside thread context");
  ThreadSched& sched = self->sched();
  if (arch::ReadCycleCounter() >= deadline_tsc) return WaitResult::kTimedOut;
  sched.wait_lock.Lock();
  sched.interruptible_wait = this;
  bool pending = StopOrKillPending(sched);
  if (pending) sched.interruptible_wait = nullptr;
  sched.wait_lock.Unlock();
  if (pending) return WaitResult::kInterrupted;
  // File the timer on this CPU (interrupts are off: the guard disabled them) before sleeping:
  // lock order wait queue, then timer lock.
  CpuSched& cpu = internal::ThisCpu();
  DeadlineTimer& timer = sched.deadline;
  timer.thread = self;
  timer.queue = this;
  timer.deadline_tsc = deadline_tsc;
  timer.cpu = &cpu;
  cpu.timer_lock.Lock();
  cpu.timers.Add(&timer, ExpiryTick(cpu.timers.now(), deadline_tsc));
  cpu.timer_lock.Unlock();
  uint64_t value = BlockLocked();
  // Woken by whoever: take the timer out if it has not fired (it may sit in a due list of the
  // tick that is trying this queue's lock; the timer lock makes that safe).
  CpuSched& filed = *timer.cpu;
  filed.timer_lock.Lock();
  TimerWheel::Cancel(&timer);
  filed.timer_lock.Unlock();
  sched.wait_lock.Lock();
  sched.interruptible_wait = nullptr;
  sched.wait_lock.Unlock();
  if (value == kInterruptedWake) return WaitResult::kInterrupted;
  if (value == kTimedOutWake) return WaitResult::kTimedOut;
  return WaitResult::kWoken;
}

namespace internal {

void ExpireDeadlines(CpuSched& c) TA_NO_THREAD_SAFETY_ANALYSIS {
  // Unchecked: wait-queue locks are tried on queues found at run time.
  c.timer_lock.Lock();
  TimerList due;
  c.timers.Advance(due);
  // Work here is one step per timer that fires (plus re-filing the rare one whose tick came
  // before its cycle-counter deadline, or whose queue lock is busy: those wait a tick).
  while (TimerNode* node = due.PopFront()) {
    auto* timer = static_cast<DeadlineTimer*>(node);
    if (arch::ReadCycleCounter() < timer->deadline_tsc) {
      c.timers.Add(timer, ExpiryTick(c.timers.now(), timer->deadline_tsc));
      continue;
    }
    // The timer is filed, so its thread is inside BlockInterruptibleUntil and its queue alive.
    // Against the lock order (queue, then timer lock): only try, and retry at the next tick.
    WaitQueue* queue = timer->queue;
    if (!queue->lock_.TryLock()) {
      c.timers.Add(timer, c.timers.now() + 1);
      continue;
    }
    ThreadSched& sched = timer->thread->sched();
    if (sched.link.owner == &queue->waiters_) {  // still asleep (no waker took it yet)
      queue->waiters_.Remove(&sched.link);
      MakeReady(&sched.link, kTimedOutWake);
    }
    queue->lock_.Unlock();
  }
  c.timer_lock.Unlock();
}

}  // namespace internal

void WaitQueue::Interrupt(Thread& thread) TA_NO_THREAD_SAFETY_ANALYSIS {
  // Unchecked: the queue's lock is taken by TryLock on a queue found at run time.
  ThreadSched& sched = thread.sched();
  arch::InterruptState flags = internal::SaveAndDisableInterrupts();
  for (;;) {
    sched.wait_lock.Lock();
    WaitQueue* queue = sched.interruptible_wait;
    if (queue == nullptr) {
      sched.wait_lock.Unlock();
      break;
    }
    // Against the lock order (queue, then wait_lock): only try, and back off on failure.
    if (queue->lock_.TryLock()) {
      // Still asleep in it (not already taken by a waker): wake it as interrupted.
      if (sched.link.owner == &queue->waiters_) {
        queue->waiters_.Remove(&sched.link);
        MakeReady(&sched.link, kInterruptedWake);
      }
      queue->lock_.Unlock();
      sched.wait_lock.Unlock();
      break;
    }
    sched.wait_lock.Unlock();
    arch::Pause();
  }
  internal::RestoreInterrupts(flags);
}

void WaitQueue::ReadyTaken(Thread* taken) {
  arch::InterruptState flags = internal::SaveAndDisableInterrupts();
  MakeReady(&taken->sched().link, 0);
  internal::RestoreInterrupts(flags);
}

uint64_t WaitQueueGuard::Block() {
  queue_.lock_.AssertHeld();  // the guard holds it
  return queue_.BlockLocked();
}

bool WaitQueueGuard::BlockInterruptible() {
  queue_.lock_.AssertHeld();  // the guard holds it
  return queue_.BlockInterruptibleLocked(nullptr);
}

WaitResult WaitQueueGuard::BlockInterruptibleUntil(uint64_t deadline_tsc) {
  queue_.lock_.AssertHeld();  // the guard holds it
  return queue_.BlockInterruptibleUntilLocked(deadline_tsc);
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
