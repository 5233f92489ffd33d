// kernel/arch/x86_64/hpet.h — the HPET main counter (IA-PC HPET specification 1.0a): the
// kernel's reference clock for calibrating the TSC and the local APIC timer.
//
// Ownership: initialised once by the boot CPU (HpetInit) before other CPUs start; afterwards
// the register window and period are read-only and the counter may be read from any CPU. The
// comparators are left disabled (user space's timed may take them later).
#pragma once

#include <stdint.h>

#include "lib/base/result.h"

namespace hiillos::arch {

enum class HpetError : uint8_t {
  kMapFailed,     // the register block could not be mapped
  kBadPeriod,     // COUNTER_CLK_PERIOD is 0 or above 100 ns (spec §2.3.4), or no device
  kCounterStuck,  // the main counter did not advance after enabling
};

// The HPET spec's upper bound on the counter period: 100 ns = 10^8 fs.
inline constexpr uint64_t kHpetMaxPeriodFs = 100'000'000;

// Maps the block at `phys` uncached, stops the counter, disables every comparator's interrupt
// and legacy replacement routing, zeroes and starts the main counter, and checks it counts.
Result<void, HpetError> HpetInit(uint64_t phys);
bool HpetAvailable();

// The main counter, extended to 64 bits when the hardware counter is 32 bits wide (any CPU;
// monotonic as long as it is read at least once per wrap, ~5 minutes at 14.3 MHz).
uint64_t HpetCounter();
uint64_t HpetPeriodFemtoseconds();
uint64_t HpetFrequencyHz();
uint64_t HpetTicksToNanoseconds(uint64_t ticks);
// Nanoseconds since HpetInit started the counter.
uint64_t HpetNanoseconds();
bool HpetCounterIs64Bit();
uint32_t HpetComparatorCount();

}  // namespace hiillos::arch
