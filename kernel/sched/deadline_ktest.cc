// kernel/sched/deadline_ktest.cc — waits with a deadline (WaitQueueGuard::BlockInterruptibleUntil)
// in kernel threads: a wait nobody ends times out no earlier than its deadline; a passed
// deadline returns at once; a wake before the deadline wins; and threads on every CPU racing
// short deadlines against a waker always end (woken or timed out) and leave no timer filed.
#include "kernel/arch/cycle_counter.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/testing/sched_test_util.h"
#include "kernel/sched/wait_queue.h"
#include "kernel/test/ktest.h"
#include "kernel/time/clock.h"
#include "lib/base/atomic.h"

namespace hiillos::sched {
namespace {

using object::Ref;
using object::Thread;
using testing::EnsurePreemption;
using testing::Join;
using testing::Spawn;
using testing::WaitFor;

uint64_t TscPerMs() {
  return time::TscHz() / 1000;
}

KTEST(deadline, wait_times_out_no_earlier_than_its_deadline) {
  EnsurePreemption();
  WaitQueue queue;
  const uint64_t spans_ms[] = {1, 5, 25};
  for (uint64_t ms : spans_ms) {
    uint64_t deadline = arch::ReadCycleCounter() + ms * TscPerMs();
    WaitQueueGuard guard(queue);
    KEXPECT(guard.BlockInterruptibleUntil(deadline) == WaitResult::kTimedOut);
    KEXPECT(arch::ReadCycleCounter() >= deadline);
    KEXPECT_EQ(queue.WaiterCount(), 0u);
  }
}

KTEST(deadline, passed_deadline_returns_at_once) {
  WaitQueue queue;
  WaitQueueGuard guard(queue);
  KEXPECT(guard.BlockInterruptibleUntil(0) == WaitResult::kTimedOut);
  KEXPECT(guard.BlockInterruptibleUntil(arch::ReadCycleCounter()) == WaitResult::kTimedOut);
  KEXPECT_EQ(queue.WaiterCount(), 0u);
}

struct Waiter {
  WaitQueue queue;
  Atomic<uint32_t> state;  // 1: about to wait, 2: done
  WaitResult result = WaitResult::kTimedOut;
};

void WaitFarDeadline(void* raw) {
  auto* waiter = static_cast<Waiter*>(raw);
  WaitQueueGuard guard(waiter->queue);
  waiter->state.Store(1, MemoryOrder::kRelease);
  waiter->result = guard.BlockInterruptibleUntil(arch::ReadCycleCounter() + 3600'000 * TscPerMs());
  waiter->state.Store(2, MemoryOrder::kRelease);
}

KTEST(deadline, wake_before_the_deadline_wins) {
  EnsurePreemption();
  Waiter waiter;
  uint64_t last_cpu = 63 - __builtin_clzll(OnlineCpuMask());
  Ref<Thread> thread = Spawn("waiter", WaitFarDeadline, &waiter, 1, 1ull << last_cpu);
  KASSERT(thread);
  KEXPECT(WaitFor([&] {
    WaitQueueGuard guard(waiter.queue);
    return waiter.queue.WaiterCount() == 1;
  }));
  KEXPECT(waiter.queue.WakeOne(5));
  Join(thread);
  KEXPECT(waiter.result == WaitResult::kWoken);
  KEXPECT(thread->sched().deadline.owner == nullptr);  // the timer was cancelled
}

// Many short deadlines racing a waker on every CPU.
struct Race {
  WaitQueue queue;
  Atomic<uint32_t> running;
  Atomic<uint64_t> woken;
  Atomic<uint64_t> timed_out;
  Atomic<bool> stop_waker;
};
constexpr int kRounds = 100;

void RaceWaiter(void* raw) {
  auto* race = static_cast<Race*>(raw);
  for (int round = 0; round < kRounds; ++round) {
    // 0 to 3 ms: some expire on the first tick, some later, some race the waker.
    uint64_t deadline = arch::ReadCycleCounter() + (round % 4) * TscPerMs();
    WaitQueueGuard guard(race->queue);
    switch (guard.BlockInterruptibleUntil(deadline)) {
      case WaitResult::kWoken:
        race->woken.FetchAdd(1, MemoryOrder::kRelaxed);
        break;
      case WaitResult::kTimedOut:
        race->timed_out.FetchAdd(1, MemoryOrder::kRelaxed);
        break;
      case WaitResult::kInterrupted:
        break;  // never for kernel threads: counted as missing below
    }
  }
  race->running.FetchSub(1, MemoryOrder::kRelease);
}

void RaceWaker(void* raw) {
  auto* race = static_cast<Race*>(raw);
  while (!race->stop_waker.Load(MemoryOrder::kAcquire)) {
    race->queue.WakeOne(1);
    Yield();
  }
}

KTEST(deadline, short_deadlines_race_a_waker_on_every_cpu) {
  EnsurePreemption();
  Race race;
  uint64_t online = OnlineCpuMask();
  uint32_t cpus = static_cast<uint32_t>(__builtin_popcountll(online));
  constexpr int kMaxWaiters = 8;
  int waiters = cpus * 2 < kMaxWaiters ? static_cast<int>(cpus * 2) : kMaxWaiters;
  Ref<Thread> threads[kMaxWaiters];
  race.running.Store(static_cast<uint32_t>(waiters), MemoryOrder::kRelaxed);
  Ref<Thread> waker = Spawn("waker", RaceWaker, &race, 1, 0);
  KASSERT(waker);
  for (int i = 0; i < waiters; ++i) {
    uint32_t cpu = static_cast<uint32_t>(i) % cpus;
    threads[i] = Spawn("deadline", RaceWaiter, &race, 1, uint64_t{1} << cpu);
    KASSERT(threads[i]);
  }
  for (int i = 0; i < waiters; ++i) Join(threads[i]);
  race.stop_waker.Store(true, MemoryOrder::kRelease);
  Join(waker);
  uint64_t total =
      race.woken.Load(MemoryOrder::kRelaxed) + race.timed_out.Load(MemoryOrder::kRelaxed);
  KEXPECT_EQ(total, static_cast<uint64_t>(waiters) * kRounds);
  KEXPECT(race.timed_out.Load(MemoryOrder::kRelaxed) > 0);
  for (int i = 0; i < waiters; ++i) KEXPECT(threads[i]->sched().deadline.owner == nullptr);
  WaitQueueGuard guard(race.queue);
  KEXPECT_EQ(race.queue.WaiterCount(), 0u);
}

}  // namespace
}  // namespace hiillos::sched
