// kernel/time/clock.cc — TSC to nanoseconds with a 32.32 fixed-point scale and a rebase point.
#include "kernel/time/clock.h"

#include "kernel/arch/cycle_counter.h"
#include "kernel/arch/interrupts.h"
#include "lib/time/time_math.h"

namespace hiillos::time {
namespace {

// Boot CPU only, before other CPUs start; read-only afterwards (see clock.h).
uint64_t g_tsc_hz = 0;
TickScale g_scale;
uint64_t g_base_tsc = 0;  // TSC at the last (re)calibration
uint64_t g_base_ns = 0;   // the clock's value at g_base_tsc

}  // namespace

uint64_t NanosecondsAt(uint64_t tsc) {
  if (tsc <= g_base_tsc) return g_base_ns;
  return g_base_ns + g_scale.ToNanoseconds(tsc - g_base_tsc);
}

void ClockInit(uint64_t tsc_hz, uint64_t tsc_at_zero) {
  g_tsc_hz = tsc_hz;
  g_scale = TickScale::ForHz(tsc_hz);
  g_base_tsc = tsc_at_zero;
  g_base_ns = 0;
}

void ClockRecalibrate(uint64_t tsc_hz) {
  uint64_t tsc = arch::ReadCycleCounter();
  g_base_ns = NanosecondsAt(tsc);
  g_base_tsc = tsc;
  g_tsc_hz = tsc_hz;
  g_scale = TickScale::ForHz(tsc_hz);
}

uint64_t TscHz() {
  return g_tsc_hz;
}

uint64_t TscToNanoseconds(uint64_t tsc_delta) {
  return g_scale.ToNanoseconds(tsc_delta);
}

uint64_t NowNanoseconds() {
  return NanosecondsAt(arch::ReadCycleCounter());
}

void SpinDelay(uint64_t nanoseconds) {
  if (g_tsc_hz == 0) return;
  uint64_t start = NowNanoseconds();
  while (NowNanoseconds() - start < nanoseconds) arch::Pause();
}

}  // namespace hiillos::time
