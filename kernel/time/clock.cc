// kernel/time/clock.cc — TSC to nanoseconds conversion with the calibrated frequency.
#include "kernel/time/clock.h"

#include "kernel/arch/x86_64/cpu.h"

namespace hiillos::time {
namespace {
// Written once on the boot CPU before other CPUs start; read-only afterwards.
uint64_t g_tsc_hz = 0;
uint64_t g_tsc_zero = 0;
}  // namespace

void ClockInit(uint64_t tsc_hz, uint64_t tsc_at_zero) {
  g_tsc_hz = tsc_hz;
  g_tsc_zero = tsc_at_zero;
}

uint64_t TscHz() { return g_tsc_hz; }

uint64_t TscToNanoseconds(uint64_t tsc_delta) {
  if (g_tsc_hz == 0) return 0;
  // Split to avoid overflow: seconds part + remainder scaled.
  uint64_t seconds = tsc_delta / g_tsc_hz;
  uint64_t rest = tsc_delta % g_tsc_hz;
  return seconds * 1'000'000'000ull + rest * 1'000'000'000ull / g_tsc_hz;
}

uint64_t NowNanoseconds() {
  uint64_t now = arch::ReadTsc();
  return now > g_tsc_zero ? TscToNanoseconds(now - g_tsc_zero) : 0;
}

}  // namespace hiillos::time
