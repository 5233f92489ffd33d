// testing/conformance/cases_cpu_times.cc — SystemCpuTimes: a CPU's idle total advances while it
// sleeps (this thread, pinned to CPU 0, waits for a deadline and CPU 0 has nothing else to run)
// and stays put while it spins (this thread keeps CPU 0 busy); readings are monotonic and taken
// at one TSC value; a bad output pointer is BadAddress.
#include "services/lib/tsc.h"
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"

namespace hiillos::conformance {
namespace {

using uapi::Status;

CONFORMANCE_CASE(system_cpu_times_reading) {
  auto first_reading = rt::SystemCpuTimes();
  auto second_reading = rt::SystemCpuTimes();
  EXPECT_OK(first_reading);
  EXPECT_OK(second_reading);
  if (!first_reading.ok() || !second_reading.ok()) return;
  const uapi::CpuTimes& first = first_reading.value();
  const uapi::CpuTimes& second = second_reading.value();
  EXPECT_EQ(first.cpus, uapi::kCpuTimesCpus);
  EXPECT_TRUE((first.online_mask & 1) != 0);  // the boot CPU schedules
  EXPECT_TRUE(second.tsc > first.tsc);
  for (uint64_t cpu = 0; cpu < first.cpus; ++cpu) {
    EXPECT_TRUE(second.idle_ticks[cpu] >= first.idle_ticks[cpu]);
    EXPECT_TRUE(first.idle_ticks[cpu] <= first.tsc);
    // CPUs that never scheduled never idled.
    if ((first.online_mask >> cpu & 1) == 0) EXPECT_EQ(first.idle_ticks[cpu], 0u);
  }
  EXPECT_STATUS(rt::raw::SystemCpuTimes(0), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::SystemCpuTimes(0xffff'8000'0000'0000ull), Status::kBadAddress);
}

CONFORMANCE_CASE(system_cpu_times_idle_only_while_asleep) {
  EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 1));
  (void)rt::Yield();  // a running thread moves at its next scheduling decision
  auto clock = rt::SystemClock();
  EXPECT_OK(clock);
  if (!clock.ok()) return;
  const uint64_t ms = clock.value().tsc_hz / 1000;

  // Spinning on CPU 0 for ~5 ms: this thread is runnable throughout, so CPU 0 never halts.
  auto before = rt::SystemCpuTimes();
  EXPECT_OK(before);
  const uint64_t spin_until = rt::ReadTsc() + 5 * ms;
  while (rt::ReadTsc() < spin_until) {
  }
  auto after = rt::SystemCpuTimes();
  EXPECT_OK(after);
  if (!before.ok() || !after.ok()) return;
  EXPECT_EQ(after.value().idle_ticks[0], before.value().idle_ticks[0]);
  EXPECT_TRUE(after.value().tsc - before.value().tsc >= 5 * ms);

  // Sleeping ~20 ms in a deadline wait: CPU 0 halts in its idle loop meanwhile.
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (notify.ok()) {
    auto asleep_before = rt::SystemCpuTimes();
    EXPECT_STATUS(rt::NotifyWaitUntil(notify.value(), rt::ReadTsc() + 20 * ms), Status::kTimedOut);
    auto asleep_after = rt::SystemCpuTimes();
    EXPECT_OK(asleep_before);
    EXPECT_OK(asleep_after);
    if (asleep_before.ok() && asleep_after.ok()) {
      const uapi::CpuTimes& a = asleep_before.value();
      const uapi::CpuTimes& b = asleep_after.value();
      EXPECT_TRUE(b.idle_ticks[0] > a.idle_ticks[0]);
      // Idle time is part of the elapsed time, never more.
      EXPECT_TRUE(b.idle_ticks[0] - a.idle_ticks[0] <= b.tsc - a.tsc);
    }
    EXPECT_OK(rt::CapDelete(notify.value()));
  }
  EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 0));
}

}  // namespace
}  // namespace hiillos::conformance
