// kernel/time/clock.h — the kernel's monotonic clock (nanoseconds since boot), TSC based.
#pragma once

#include <stdint.h>

namespace hiillos::time {

// Sets the TSC frequency and the TSC value that counts as time zero.
void ClockInit(uint64_t tsc_hz, uint64_t tsc_at_zero);
// Nanoseconds since ClockInit's zero; 0 before ClockInit.
uint64_t NowNanoseconds();
uint64_t TscHz();
// Converts a TSC delta to nanoseconds with the calibrated frequency (0 before ClockInit).
uint64_t TscToNanoseconds(uint64_t tsc_delta);

}  // namespace hiillos::time
