// kernel/arch/x86_64/tsc.cc — one TSC-versus-HPET measurement window.
#include "kernel/arch/x86_64/tsc.h"

#include "kernel/arch/x86_64/hpet.h"
#include "lib/time/time_math.h"
#include "lib/x86/cpu.h"

namespace hiillos::arch {
namespace {

struct Sample {
  uint64_t tsc;   // midpoint of the bracket
  uint64_t hpet;  // HPET counter read inside the bracket
};

// Reads the HPET between two TSC reads; keeps the narrowest of a few tries.
Sample TakeSample() {
  Sample best{0, 0};
  uint64_t best_width = ~0ull;
  for (int attempt = 0; attempt < 4; ++attempt) {
    uint64_t before = x86::ReadTsc();
    uint64_t hpet = HpetCounter();
    uint64_t after = x86::ReadTsc();
    if (after - before < best_width) {
      best_width = after - before;
      best = Sample{before + (after - before) / 2, hpet};
    }
  }
  return best;
}

}  // namespace

uint64_t MeasureTscHzWithHpet(uint32_t milliseconds) {
  if (!HpetAvailable() || milliseconds == 0) return 0;
  uint64_t window_ticks = time::MulDiv(uint64_t{milliseconds} * 1'000'000ull,
                                       time::kFemtosecondsPerNanosecond, HpetPeriodFemtoseconds());
  Sample start = TakeSample();
  while (HpetCounter() - start.hpet < window_ticks) x86::Pause();
  Sample end = TakeSample();
  uint64_t ns = HpetTicksToNanoseconds(end.hpet - start.hpet);
  return time::FrequencyHz(end.tsc - start.tsc, ns);
}

}  // namespace hiillos::arch
