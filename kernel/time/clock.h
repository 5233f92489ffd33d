// kernel/time/clock.h — the kernel's monotonic clock: nanoseconds since boot from the TSC.
//
// The TSC frequency is first estimated against the PIT (stage 1, so early log lines have
// timestamps) and then replaced by the HPET calibration (stage 5, time_init.h). A
// recalibration is continuous: the clock keeps its current value and only its rate changes,
// so NowNanoseconds never jumps back.
//
// Ownership: the scale is written on the boot CPU only, before other CPUs start (ClockInit,
// ClockRecalibrate); afterwards it is read-only and NowNanoseconds is safe on every CPU. It
// assumes the TSCs of all CPUs run in step (they do on QEMU and on CPUs with an invariant,
// synchronised TSC); a TSC behind the boot CPU's reads as the last recalibration point.
#pragma once

#include <stdint.h>

namespace hiillos::time {

// Sets the TSC frequency and the TSC value that counts as time zero.
void ClockInit(uint64_t tsc_hz, uint64_t tsc_at_zero);
// Switches to a better frequency estimate without a jump (see above).
void ClockRecalibrate(uint64_t tsc_hz);
// Nanoseconds since ClockInit's zero; 0 before ClockInit.
uint64_t NowNanoseconds();
// The clock's value at cycle count `tsc` (a count not after now; earlier than the last
// recalibration reads as its value).
uint64_t NanosecondsAt(uint64_t tsc);
uint64_t TscHz();
// Converts a TSC delta to nanoseconds with the current frequency (0 before ClockInit).
uint64_t TscToNanoseconds(uint64_t tsc_delta);
// Busy-waits at least `nanoseconds` (TSC based; returns at once before ClockInit).
void SpinDelay(uint64_t nanoseconds);

}  // namespace hiillos::time
