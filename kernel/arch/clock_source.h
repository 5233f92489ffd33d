// kernel/arch/clock_source.h — the architecture interface for time sources: the per-CPU cycle
// counter (TSC), the platform reference counter (HPET) and measuring the cycle counter's rate
// against it (or against the PIT when there is no HPET). kernel/time builds its clock on these.
//
// From the implementation (kernel/arch/x86_64/{hpet,tsc,pit}.h): HpetInit, HpetAvailable,
// HpetCounter, HpetNanoseconds, HpetFrequencyHz, HpetPeriodFemtoseconds, HpetCounterIs64Bit,
// HpetComparatorCount, HpetError, kHpetMaxPeriodFs, MeasureTscHzWithHpet, MeasureTscHzWithPit.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/cycle_counter.h"
#include "kernel/arch/x86_64/cpu_features.h"
#include "kernel/arch/x86_64/hpet.h"
#include "kernel/arch/x86_64/pit.h"
#include "kernel/arch/x86_64/tsc.h"

namespace hiillos::arch {

// Whether the cycle counter runs at a constant rate in every power state.
inline bool CycleCounterInvariant() {
  return Features().invariant_tsc;
}

static_assert(requires(uint64_t phys, uint32_t milliseconds) {
  { HpetInit(phys) } -> SameAs<Result<void, HpetError>>;
  { HpetAvailable() } -> SameAs<bool>;
  { HpetCounter() } -> SameAs<uint64_t>;
  { HpetNanoseconds() } -> SameAs<uint64_t>;
  { MeasureTscHzWithHpet(milliseconds) } -> SameAs<uint64_t>;
  { MeasureTscHzWithPit(milliseconds) } -> SameAs<uint64_t>;
});

}  // namespace hiillos::arch
