// kernel/arch/x86_64/pit.h — the legacy 8254 PIT, used once to calibrate the TSC at boot.
#pragma once

#include <stdint.h>

namespace hiillos::arch {

// Measures TSC ticks per second over `milliseconds` using PIT channel 2 (gate via port 0x61).
// Returns 0 if the PIT does not count (no PIT present).
uint64_t MeasureTscHzWithPit(uint32_t milliseconds);

}  // namespace hiillos::arch
