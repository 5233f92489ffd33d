// kernel/sched/sched_ktest.cc — in-kernel tests of the scheduler with kernel threads: round
// robin, priorities, preemption, affinity, load balancing, blocking and exit/wait.
#include "kernel/arch/cross_call.h"
#include "kernel/arch/interrupts.h"
#include "kernel/arch/spinlock.h"
#include "kernel/mm/kernel_space.h"
#include "kernel/mm/object_allocator.h"
#include "kernel/mm/pmm.h"
#include "kernel/sched/kernel_stack.h"
#include "kernel/sched/run_queue.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/testing/sched_test_util.h"
#include "kernel/sched/thread_control.h"
#include "kernel/sched/wait_queue.h"
#include "kernel/test/ktest.h"
#include "lib/base/atomic.h"

namespace hiillos::sched {
namespace {

using object::Ref;
using object::Thread;
using testing::EnsurePreemption;
using testing::Join;
using testing::kMillisecond;
using testing::Now;
using testing::Spawn;
using testing::Spin;
using testing::WaitFor;

constexpr uint64_t kCpu0 = 1;

// --- round robin -------------------------------------------------------------------------

struct YieldLog {
  uint32_t entries[64];
  Atomic<uint32_t> count;
};
struct YieldArg {
  YieldLog* log;
  uint32_t id;
};

void YieldTenTimes(void* raw) {
  auto* arg = static_cast<YieldArg*>(raw);
  PreemptGuard no_timer;  // only the explicit yields switch
  for (int i = 0; i < 10; ++i) {
    uint32_t slot = arg->log->count.FetchAdd(1, MemoryOrder::kRelaxed);
    if (slot < 64) arg->log->entries[slot] = arg->id;
    Yield();
  }
}

KTEST(sched, yield_round_robins_within_a_priority) {
  EnsurePreemption();
  YieldLog log{};
  YieldArg args[3] = {{&log, 0}, {&log, 1}, {&log, 2}};
  Ref<Thread> threads[3];
  {
    PreemptGuard queue_all_three_first;
    for (int i = 0; i < 3; ++i) threads[i] = Spawn("rr", YieldTenTimes, &args[i], 1, kCpu0);
  }
  for (auto& thread : threads) KASSERT(thread);
  for (auto& thread : threads) KEXPECT_EQ(static_cast<uint64_t>(Join(thread).reason), 1u);
  KEXPECT_EQ(log.count.Load(MemoryOrder::kRelaxed), 30u);
  for (uint32_t i = 0; i < 30; ++i) KEXPECT_EQ(log.entries[i], i % 3);
}

// Three spinners share one CPU; each spins until all three have been switched in
// kRoundRobinTurns times (only the timer can switch them), or a bound that only ends a broken
// run. Counting turns instead of spinning for a fixed time keeps the test independent of how
// fast the host runs the guest: a starved vCPU sees few ticks in any wall-clock window.
constexpr uint64_t kRoundRobinTurns = 4;

struct SpinShare {
  Atomic<Thread*>* spinners;  // all three, published by main after each Spawn
  uint64_t give_up;           // time bound (broken preemption)
  uint64_t iterations;
};

bool EverySpinnerHadItsTurns(Atomic<Thread*>* spinners) {
  for (int i = 0; i < 3; ++i) {
    Thread* thread = spinners[i].Load(MemoryOrder::kAcquire);
    if (thread == nullptr) return false;
    if (thread->sched().switches_in.Load(MemoryOrder::kRelaxed) < kRoundRobinTurns) return false;
  }
  return true;
}

void SpinForTurns(void* raw) {
  auto* share = static_cast<SpinShare*>(raw);
  while (!EverySpinnerHadItsTurns(share->spinners) && Now() < share->give_up) {
    ++share->iterations;
  }
}

KTEST(sched, timer_round_robins_spinning_threads) {
  EnsurePreemption();
  Atomic<Thread*> spinners[3];
  SpinShare shares[3];
  const uint64_t give_up = Now() + 60'000 * kMillisecond;
  Ref<Thread> threads[3];
  for (int i = 0; i < 3; ++i) {
    shares[i] = {spinners, give_up, 0};
    threads[i] = Spawn("spin", SpinForTurns, &shares[i], 1, kCpu0);
    KASSERT(threads[i]);
    spinners[i].Store(threads[i].get(), MemoryOrder::kRelease);
  }
  for (auto& thread : threads) Join(thread);
  KEXPECT(EverySpinnerHadItsTurns(spinners));
  uint64_t total_ticks = 0;
  for (auto& thread : threads) total_ticks += thread->sched().run_ticks.Load(MemoryOrder::kRelaxed);
  for (int i = 0; i < 3; ++i) {
    // Each got the CPU back several times and a fair share of the ticks.
    KEXPECT(threads[i]->sched().switches_in.Load(MemoryOrder::kRelaxed) >= kRoundRobinTurns);
    KEXPECT(threads[i]->sched().run_ticks.Load(MemoryOrder::kRelaxed) * 5 >= total_ticks);
    KEXPECT(shares[i].iterations > 0);
  }
}

// --- priorities --------------------------------------------------------------------------

struct Timed {
  uint64_t start;
  uint64_t end;
};

void RunFor20Ms(void* raw) {
  auto* timed = static_cast<Timed*>(raw);
  timed->start = Now();
  Spin(20 * kMillisecond);
  timed->end = Now();
}

KTEST(sched, higher_priority_runs_first_and_preempts) {
  EnsurePreemption();
  Timed low{}, high{};
  // main (priority 1) starts a low (0) then a high (2) thread on its own CPU: the high one
  // preempts main at once and finishes before the low one ever starts.
  Ref<Thread> low_thread = Spawn("low", RunFor20Ms, &low, 0, kCpu0);
  KASSERT(low_thread);
  Ref<Thread> high_thread = Spawn("high", RunFor20Ms, &high, 2, kCpu0);
  KASSERT(high_thread);
  uint64_t main_resumed = Now();
  KEXPECT(high.end != 0);
  KEXPECT(main_resumed >= high.end);
  KEXPECT_EQ(low.start, 0u);  // main (1) still outranks it
  Join(high_thread);
  Join(low_thread);
  KEXPECT(low.start >= high.end);
}

struct Starve {
  Atomic<bool> low_ran;
  uint64_t end;
};

void MarkRan(void* raw) {
  static_cast<Starve*>(raw)->low_ran.Store(true, MemoryOrder::kRelease);
}

void SpinHigh(void* raw) {
  auto* starve = static_cast<Starve*>(raw);
  while (Now() < starve->end) {
    // A lower-priority ready thread never runs while this one is runnable.
    if (starve->low_ran.Load(MemoryOrder::kAcquire)) return;
  }
}

KTEST(sched, lower_priority_waits_for_a_spinning_higher_one) {
  EnsurePreemption();
  Starve starve{};
  starve.end = Now() + 100 * kMillisecond;
  // The low one is queued first; the high one preempts main and spins.
  Ref<Thread> low = Spawn("low", MarkRan, &starve, 0, kCpu0);
  Ref<Thread> high = Spawn("high", SpinHigh, &starve, 3, kCpu0);
  KASSERT(high && low);
  Join(high);
  uint64_t high_done = Now();
  Join(low);
  KEXPECT(high_done >= starve.end);  // it was never cut short by the low thread
  KEXPECT(starve.low_ran.Load(MemoryOrder::kAcquire));
}

KTEST(sched, priority_arguments_are_checked) {
  Ref<Thread> idle_one = Thread::CreateKernel(
                             "p", [](void*) {}, nullptr)
                             .value();
  KEXPECT(!object::Priority::Check(uapi::kMaxPriority + 1).ok());
  auto highest = object::Priority::Check(uapi::kMaxPriority);
  KEXPECT(highest.ok());
  idle_one->SetPriority(highest.value());
  KEXPECT_EQ(idle_one->priority(), uapi::kMaxPriority);
  KEXPECT(idle_one->Start().ok());
  Join(idle_one);
}

// --- preemption --------------------------------------------------------------------------

struct Handshake {
  Atomic<bool> flag;
  bool timed_out;
};

void SpinForFlag(void* raw) {
  auto* shake = static_cast<Handshake*>(raw);
  uint64_t deadline = Now() + 3000 * kMillisecond;
  // Never yields: only the timer can let the other thread (same CPU, same priority) run.
  while (!shake->flag.Load(MemoryOrder::kAcquire)) {
    if (Now() > deadline) {
      shake->timed_out = true;
      return;
    }
  }
}

void SetFlag(void* raw) {
  static_cast<Handshake*>(raw)->flag.Store(true, MemoryOrder::kRelease);
}

KTEST(sched, spinning_thread_does_not_starve_another) {
  EnsurePreemption();
  Handshake shake{};
  Ref<Thread> spinner = Spawn("spinner", SpinForFlag, &shake, 1, kCpu0);
  Ref<Thread> setter = Spawn("setter", SetFlag, &shake, 1, kCpu0);
  KASSERT(spinner && setter);
  Join(spinner);
  Join(setter);
  KEXPECT(shake.flag.Load(MemoryOrder::kAcquire));
  KEXPECT(!shake.timed_out);
}

// --- affinity and balancing --------------------------------------------------------------

struct Pinned {
  uint32_t cpu;
  uint32_t wrong;
  uint64_t checks;
};

void CheckPinned(void* raw) {
  auto* pinned = static_cast<Pinned*>(raw);
  uint64_t end = Now() + 30 * kMillisecond;
  while (Now() < end) {
    if (CurrentCpuIndex() != pinned->cpu) ++pinned->wrong;
    ++pinned->checks;
    if (pinned->checks % 64 == 0) Yield();
  }
}

KTEST(sched, affinity_keeps_a_thread_on_its_cpu) {
  EnsurePreemption();
  uint64_t online = OnlineCpuMask();
  for (uint32_t cpu = 0; cpu < 64; ++cpu) {
    if (!((online >> cpu) & 1)) continue;
    Pinned pinned{cpu, 0, 0};
    Ref<Thread> thread = Spawn("pinned", CheckPinned, &pinned, 1, 1ull << cpu);
    KASSERT(thread);
    Join(thread);
    KEXPECT(pinned.checks > 0);
    KEXPECT_EQ(pinned.wrong, 0u);
    KEXPECT_EQ(thread->sched().cpus_seen.Load(MemoryOrder::kRelaxed), 1ull << cpu);
  }
}

KTEST(sched, affinity_arguments_are_checked) {
  Ref<Thread> thread = Thread::CreateKernel(
                           "a", [](void*) {}, nullptr)
                           .value();
  uint64_t offline = ~OnlineCpuMask();
  if (offline != 0) KEXPECT(!thread->SetAffinity(offline).ok());
  KEXPECT(thread->SetAffinity(0).ok());
  KEXPECT(thread->SetAffinity(OnlineCpuMask()).ok());
  KEXPECT_EQ(thread->affinity(), OnlineCpuMask());
  KEXPECT(thread->Start().ok());
  Join(thread);
}

struct Mover {
  Atomic<uint32_t> observed{~0u};
  Atomic<bool> stop;
};

void ReportCpu(void* raw) {
  auto* mover = static_cast<Mover*>(raw);
  while (!mover->stop.Load(MemoryOrder::kAcquire)) {
    mover->observed.Store(CurrentCpuIndex(), MemoryOrder::kRelease);
  }
}

KTEST(sched, changing_affinity_moves_a_running_thread) {
  EnsurePreemption();
  if (testing::OnlineCpuCount() < 3) return;  // needs two CPUs besides main's
  Mover mover;
  Ref<Thread> thread = Spawn("mover", ReportCpu, &mover, 1, 1ull << 1);
  KASSERT(thread);
  KEXPECT(WaitFor([&] { return mover.observed.Load(MemoryOrder::kAcquire) == 1; }));
  KEXPECT(thread->SetAffinity(1ull << 2).ok());
  KEXPECT(WaitFor([&] { return mover.observed.Load(MemoryOrder::kAcquire) == 2; }));
  mover.stop.Store(true, MemoryOrder::kRelease);
  Join(thread);
  KEXPECT_EQ(thread->sched().cpus_seen.Load(MemoryOrder::kRelaxed), (1ull << 1) | (1ull << 2));
}

// Spins until the spinners together have run on every online CPU (each records where it
// runs), or a bound that only ends a broken run: no fixed time window.
struct BalanceShare {
  Atomic<uint64_t>* ran_on;  // CPUs any spinner ran on
  uint64_t all_cpus;
  uint64_t give_up;
};

void SpinUntilSpread(void* raw) {
  auto* share = static_cast<BalanceShare*>(raw);
  while (share->ran_on->Load(MemoryOrder::kAcquire) != share->all_cpus && Now() < share->give_up) {
    share->ran_on->FetchOr(uint64_t{1} << arch::CpuIndex(), MemoryOrder::kRelease);
  }
}

KTEST(sched, load_balancing_spreads_threads_over_cpus) {
  EnsurePreemption();
  uint32_t cpus = testing::OnlineCpuCount();
  constexpr uint32_t kThreads = 8;
  Atomic<uint64_t> ran_on;
  const BalanceShare share{&ran_on, OnlineCpuMask(), Now() + 60'000 * kMillisecond};
  Ref<Thread> threads[kThreads];
  for (uint32_t i = 0; i < kThreads; ++i) {
    threads[i] = Spawn("balance", SpinUntilSpread, const_cast<BalanceShare*>(&share), 1, 0);
    KASSERT(threads[i]);
  }
  uint64_t seen = 0;
  for (auto& thread : threads) {
    Join(thread);
    seen |= thread->sched().cpus_seen.Load(MemoryOrder::kRelaxed);
  }
  KEXPECT_EQ(__builtin_popcountll(seen), cpus);
}

// --- blocking ----------------------------------------------------------------------------

struct Sleeper {
  WaitQueue queue;
  bool ready;
  uint64_t woken_with;
};

void SleepUntilReady(void* raw) {
  auto* sleeper = static_cast<Sleeper*>(raw);
  WaitQueueGuard guard(sleeper->queue);
  while (!sleeper->ready) sleeper->woken_with = guard.Block();
}

KTEST(sched, block_and_wake_one) {
  EnsurePreemption();
  Sleeper sleeper{};
  KEXPECT(!sleeper.queue.WakeOne(1));  // nobody waits yet
  // Waiter on the last CPU, waker (main) on CPU 0.
  uint64_t last_cpu = 63 - __builtin_clzll(OnlineCpuMask());
  Ref<Thread> thread = Spawn("sleeper", SleepUntilReady, &sleeper, 1, 1ull << last_cpu);
  KASSERT(thread);
  KEXPECT(WaitFor([&] { return thread->state() == ThreadState::kBlocked; }));
  {
    WaitQueueGuard guard(sleeper.queue);
    KEXPECT_EQ(sleeper.queue.WaiterCount(), 1u);
    sleeper.ready = true;
    KEXPECT(guard.WakeOne(77));
  }
  Join(thread);
  KEXPECT_EQ(sleeper.woken_with, 77u);
  WaitQueueGuard guard(sleeper.queue);
  KEXPECT_EQ(sleeper.queue.WaiterCount(), 0u);
}

KTEST(sched, wake_all_wakes_every_waiter) {
  EnsurePreemption();
  Sleeper sleeper{};
  Ref<Thread> threads[3];
  for (auto& thread : threads) {
    thread = Spawn("sleeper", SleepUntilReady, &sleeper, 1, 0);
    KASSERT(thread);
  }
  KEXPECT(WaitFor([&] {
    WaitQueueGuard guard(sleeper.queue);
    return sleeper.queue.WaiterCount() == 3;
  }));
  {
    WaitQueueGuard guard(sleeper.queue);
    sleeper.ready = true;
    KEXPECT_EQ(guard.WakeAll(5), 3u);
  }
  for (auto& thread : threads) KEXPECT_EQ(static_cast<uint64_t>(Join(thread).reason), 1u);
  KEXPECT_EQ(sleeper.woken_with, 5u);
}

// What SleepInterruptibly records when its wait was interrupted.
constexpr uint64_t kInterruptedMark = ~uint64_t{0};

void SleepInterruptibly(void* raw) {
  auto* sleeper = static_cast<Sleeper*>(raw);
  WaitQueueGuard guard(sleeper->queue);
  while (!sleeper->ready) {
    if (!guard.BlockInterruptible()) {
      sleeper->woken_with = kInterruptedMark;
      return;
    }
  }
}

KTEST(sched, kill_ends_an_interruptible_wait) {
  EnsurePreemption();
  Sleeper sleeper{};
  uint64_t last_cpu = 63 - __builtin_clzll(OnlineCpuMask());
  Ref<Thread> thread = Spawn("sleeper", SleepInterruptibly, &sleeper, 1, 1ull << last_cpu);
  KASSERT(thread);
  KEXPECT(WaitFor([&] { return thread->state() == ThreadState::kBlocked; }));
  thread->Kill();  // a blocked thread: the kill is recorded and the wait ends
  Join(thread);
  KEXPECT_EQ(sleeper.woken_with, kInterruptedMark);
  WaitQueueGuard guard(sleeper.queue);
  KEXPECT_EQ(sleeper.queue.WaiterCount(), 0u);
}

KTEST(sched, kill_does_not_end_an_uninterruptible_wait) {
  EnsurePreemption();
  Sleeper sleeper{};
  Ref<Thread> thread = Spawn("sleeper", SleepUntilReady, &sleeper, 1, 0);
  KASSERT(thread);
  KEXPECT(WaitFor([&] { return thread->state() == ThreadState::kBlocked; }));
  thread->Kill();
  KEXPECT_EQ(thread->state(), ThreadState::kBlocked);  // still asleep (e.g. ThreadWait)
  {
    WaitQueueGuard guard(sleeper.queue);
    sleeper.ready = true;
    KEXPECT(guard.WakeOne(3));
  }
  Join(thread);
  KEXPECT_EQ(sleeper.woken_with, 3u);
}

// --- exit and wait -----------------------------------------------------------------------

void ExitWith42(void*) {
  object::ExitCurrentThread(uapi::ExitReason::kExited, 42, 0x1234);
}

void ReturnAtOnce(void*) {}

KTEST(sched, exit_record_reaches_the_waiter) {
  Ref<Thread> exiting = Spawn("exit42", ExitWith42, nullptr);
  KASSERT(exiting);
  uapi::ThreadExit exit = Join(exiting);
  KEXPECT_EQ(static_cast<uint64_t>(exit.reason), static_cast<uint64_t>(uapi::ExitReason::kExited));
  KEXPECT_EQ(exit.code, 42u);
  KEXPECT_EQ(exit.fault_addr, 0x1234u);
  KEXPECT(exiting->fully_exited());
  KEXPECT(exiting->state() == ThreadState::kExited);
  // Waiting again returns the same record at once; an exited thread cannot start again.
  KEXPECT_EQ(Join(exiting).code, 42u);
  KEXPECT(!exiting->Start().ok());

  Ref<Thread> returning = Spawn("return", ReturnAtOnce, nullptr);
  KASSERT(returning);
  exit = Join(returning);
  KEXPECT_EQ(static_cast<uint64_t>(exit.reason), static_cast<uint64_t>(uapi::ExitReason::kExited));
  KEXPECT_EQ(exit.code, 0u);
}

KTEST(sched, wait_errors) {
  // The test runs in a thread: waiting for itself would never end.
  Thread* self = object::CurrentThread();
  KASSERT(self != nullptr);
  auto result = self->Wait();
  KEXPECT(!result.ok() && result.error() == uapi::Status::kBusy);
  Ref<Thread> started = Spawn("twice", ReturnAtOnce, nullptr);
  KASSERT(started);
  Join(started);
  auto again = started->Start();
  KEXPECT(!again.ok() && again.error() == uapi::Status::kBusy);
}

KTEST(sched, killing_a_new_thread_ends_it) {
  Ref<Thread> thread = Thread::CreateKernel("never", ReturnAtOnce, nullptr).value();
  thread->Kill();
  uapi::ThreadExit exit = Join(thread);
  KEXPECT_EQ(static_cast<uint64_t>(exit.reason), static_cast<uint64_t>(uapi::ExitReason::kKilled));
  KEXPECT(!thread->Start().ok());
}

KTEST(sched, exited_threads_return_every_page) {
  EnsurePreemption();
  // Warm up (slab pages for thread objects, page tables for the stack region).
  Join(Spawn("warm", ReturnAtOnce, nullptr));
  uint64_t stacks = KernelStackCount();
  uint64_t objects = mm::GetObjectAllocatorStats().live_objects;
  uint64_t free_pages = mm::GetPmmStats().free_pages;
  uint64_t live = LiveThreadCount();
  for (int round = 0; round < 16; ++round) {
    Ref<Thread> thread = Spawn("churn", round % 2 ? ReturnAtOnce : ExitWith42, nullptr, 1,
                               round % 3 == 0 ? kCpu0 : 0);
    KASSERT(thread);
    Join(thread);
  }
  KEXPECT_EQ(KernelStackCount(), stacks);
  KEXPECT_EQ(mm::GetObjectAllocatorStats().live_objects, objects);
  KEXPECT_EQ(mm::GetPmmStats().free_pages, free_pages);
  KEXPECT_EQ(LiveThreadCount(), live);
}

KTEST(sched, kernel_stacks_have_guard_pages_and_distinct_slots) {
  auto a = AllocateKernelStack();
  auto b = AllocateKernelStack();
  KASSERT(a.ok() && b.ok());
  KEXPECT(a.value().top != b.value().top);
  KEXPECT_EQ(a.value().top - a.value().base, kKernelStackSize);
  // The page below each stack is unmapped.
  KEXPECT(!mm::KernelTranslate(a.value().base - 0x1000).ok());
  KEXPECT(mm::KernelTranslate(a.value().base).ok());
  KEXPECT(mm::KernelTranslate(a.value().top - 0x1000).ok());
  uint64_t base = a.value().base;
  FreeKernelStack(a.value());
  KEXPECT(!mm::KernelTranslate(base).ok());
  KEXPECT_EQ(a.value().slot, kNoStackSlot);
  FreeKernelStack(b.value());
}

// --- interruptible waits and the kernel's own level -----------------------------------------

struct WaitTarget {
  Atomic<bool> release;
  Ref<Thread> target;
  Atomic<int64_t> status{-1};  // what the waiter's Wait returned (0 ok, else the Status)
};

void SpinUntilReleased(void* raw) {
  auto* arg = static_cast<WaitTarget*>(raw);
  while (!arg->release.Load(MemoryOrder::kAcquire)) Yield();
}

void WaitOnTarget(void* raw) {
  auto* arg = static_cast<WaitTarget*>(raw);
  auto result = arg->target->Wait();
  arg->status.Store(result.ok() ? 0 : static_cast<int64_t>(result.error()), MemoryOrder::kRelease);
}

// Kill() reaches a thread asleep in Thread::Wait (or about to sleep there): the wait returns
// kInterrupted instead of sleeping until the target exits (here: never, until released).
KTEST(sched, kill_interrupts_a_thread_blocked_in_wait) {
  EnsurePreemption();
  WaitTarget arg;
  arg.target = Spawn("target", SpinUntilReleased, &arg);
  KASSERT(arg.target);
  Ref<Thread> waiter = Spawn("waiter", WaitOnTarget, &arg);
  KASSERT(waiter);
  KEXPECT(WaitFor([&] { return waiter->state() == ThreadState::kBlocked; }));
  waiter->Kill();
  Join(waiter);
  KEXPECT_EQ(arg.status.Load(MemoryOrder::kAcquire),
             static_cast<int64_t>(uapi::Status::kInterrupted));
  KEXPECT(!arg.target->fully_exited());  // it was not the target that ended the wait
  arg.release.Store(true, MemoryOrder::kRelease);
  Join(arg.target);
}

void KillSelfThenWait(void* raw) {
  auto* arg = static_cast<WaitTarget*>(raw);
  object::CurrentThread()->Kill();  // running: only a request (a kernel thread never dies of it)
  WaitOnTarget(raw);
  (void)arg;
}

// The same when the request comes before the thread blocks: it does not block at all.
KTEST(sched, kill_before_the_wait_is_not_lost) {
  EnsurePreemption();
  WaitTarget arg;
  arg.target = Spawn("target", SpinUntilReleased, &arg);
  KASSERT(arg.target);
  Ref<Thread> waiter = Spawn("waiter", KillSelfThenWait, &arg);
  KASSERT(waiter);
  Join(waiter);
  KEXPECT_EQ(arg.status.Load(MemoryOrder::kAcquire),
             static_cast<int64_t>(uapi::Status::kInterrupted));
  arg.release.Store(true, MemoryOrder::kRelease);
  Join(arg.target);
}

struct KernelLevel {
  Ref<Thread> kernel;  // at kKernelPriority, pinned to CPU 0, not started
  Atomic<bool> kernel_ran;
  Atomic<bool> ran_before_start_returned;
};

void MarkKernelRan(void* raw) {
  static_cast<KernelLevel*>(raw)->kernel_ran.Store(true, MemoryOrder::kRelease);
}

// Runs at the highest user priority on CPU 0 and starts the kernel-level thread there: it must
// run at once (preempting this one), before Start() even returns.
void StartKernelLevelThread(void* raw) {
  auto* arg = static_cast<KernelLevel*>(raw);
  if (!arg->kernel->Start().ok()) return;
  arg->ran_before_start_returned.Store(arg->kernel_ran.Load(MemoryOrder::kAcquire),
                                       MemoryOrder::kRelease);
}

// The kernel's own level is above every user level.
KTEST(sched, kernel_level_preempts_the_highest_user_level) {
  EnsurePreemption();
  KEXPECT(kKernelPriority > uapi::kMaxPriority);
  KernelLevel arg;
  auto created = Thread::CreateKernel("kernel-level", MarkKernelRan, &arg);
  KASSERT(created.ok());
  arg.kernel = Move(created.value());
  internal::SetThreadPriority(arg.kernel->core(), kKernelPriority);
  KASSERT(arg.kernel->SetAffinity(kCpu0).ok());
  Ref<Thread> user_level =
      Spawn("top-user", StartKernelLevelThread, &arg, uapi::kMaxPriority, kCpu0);
  KASSERT(user_level);
  Join(user_level);
  Join(arg.kernel);
  KEXPECT(arg.kernel_ran.Load(MemoryOrder::kAcquire));
  KEXPECT(arg.ran_before_start_returned.Load(MemoryOrder::kAcquire));
}

// --- a lock waiter with interrupts off still answers cross calls ---------------------------

struct LockWaiter {
  SpinLock* lock;
  Atomic<bool> waiting;
  Atomic<bool> locked;
};

void LockWithInterruptsOff(void* raw) {
  auto* waiter = static_cast<LockWaiter*>(raw);
  arch::InterruptGuard off;
  waiter->waiting.Store(true, MemoryOrder::kRelease);
  waiter->lock->Lock();
  waiter->locked.Store(true, MemoryOrder::kRelease);
  waiter->lock->Unlock();
}

struct Answered {
  Atomic<uint32_t> cpu{~0u};
};

void RecordAnsweringCpu(void* raw) {
  static_cast<Answered*>(raw)->cpu.Store(arch::CpuIndex(), MemoryOrder::kRelease);
}

// A thread on CPU 1 spins for a lock with interrupts off while main holds it and sends CPU 1 a
// cross call (as a TLB shootdown would): the spinner serves it from its wait (arch::Pause), so
// the call returns. Before, the call waited 5 s and panicked "cross call ... did not answer".
KTEST(sched, lock_waiter_with_interrupts_off_answers_a_cross_call) {
  if (testing::OnlineCpuCount() < 2) return;  // needs a CPU besides main's
  SpinLock lock;
  LockWaiter waiter{&lock, {}, {}};
  lock.Lock();  // no early return until the Unlock below
  Ref<Thread> spinner =
      Spawn("lock-waiter", LockWithInterruptsOff, &waiter, uapi::kDefaultPriority, uint64_t{2});
  const bool waiting =
      spinner && WaitFor([&] { return waiter.waiting.Load(MemoryOrder::kAcquire); });
  Answered answered;
  const bool called = waiting && arch::RunOnCpu(1, RecordAnsweringCpu, &answered).ok();
  const bool still_waiting = !waiter.locked.Load(MemoryOrder::kAcquire);
  lock.Unlock();
  KASSERT(spinner);
  KEXPECT(waiting);
  KEXPECT(called);
  KEXPECT_EQ(answered.cpu.Load(MemoryOrder::kAcquire), 1u);
  KEXPECT(still_waiting);  // the call was answered from inside the lock wait
  Join(spinner);
  KEXPECT(waiter.locked.Load(MemoryOrder::kAcquire));
}

}  // namespace
}  // namespace hiillos::sched
