// kernel/sched/testing/sched_test_util.h — helpers for the scheduler's in-kernel tests: start
// kernel threads with a priority/affinity, join them, wait for conditions with a deadline.
#pragma once

#include <stdint.h>

#include "kernel/arch/interrupts.h"
#include "kernel/arch/timer.h"
#include "kernel/object/ref.h"
#include "kernel/object/thread.h"
#include "kernel/sched/scheduler.h"
#include "kernel/time/clock.h"

namespace hiillos::sched::testing {

inline constexpr uint64_t kMillisecond = 1'000'000;

// Tests run in the kernel thread "main" (pinned to CPU 0, default priority). Another test
// may have replaced the timer hook: put the scheduler's back.
inline void EnsurePreemption() {
  arch::SetTimerTickHandler(OnTimerTick);
}

inline uint64_t Now() {
  return time::NowNanoseconds();
}

// A started kernel thread (null Ref on failure).
inline object::Ref<object::Thread> Spawn(const char* name, object::Thread::KernelEntry entry,
                                         void* arg, unsigned priority = uapi::kDefaultPriority,
                                         uint64_t affinity = 0) {
  auto created = object::Thread::CreateKernel(name, entry, arg);
  if (!created.ok()) return nullptr;
  object::Ref<object::Thread> thread = Move(created.value());
  auto checked = object::Priority::Check(priority);
  if (!checked.ok()) return nullptr;
  thread->SetPriority(checked.value());
  if (!thread->SetAffinity(affinity).ok() || !thread->Start().ok()) return nullptr;
  return thread;
}

// Waits for the thread's end; reason 0 if Wait failed.
inline uapi::ThreadExit Join(const object::Ref<object::Thread>& thread) {
  if (!thread) return {};
  auto result = thread->Wait();
  return result.ok() ? result.value() : uapi::ThreadExit{};
}

// Polls `condition` (yielding in between) until it holds or `timeout_ns` passes.
template <typename Condition>
bool WaitFor(Condition condition, uint64_t timeout_ns = 2000 * kMillisecond) {
  uint64_t deadline = Now() + timeout_ns;
  while (!condition()) {
    if (Now() > deadline) return false;
    Yield();
  }
  return true;
}

// Spins (without yielding) for `ns`.
inline void Spin(uint64_t ns) {
  uint64_t end = Now() + ns;
  while (Now() < end) arch::Pause();
}

inline uint32_t OnlineCpuCount() {
  return static_cast<uint32_t>(__builtin_popcountll(OnlineCpuMask()));
}

}  // namespace hiillos::sched::testing
