// kernel/arch/x86_64/tsc.h — measuring the TSC frequency against the HPET (pit.h has the
// fallback measurement against the 8254 PIT).
#pragma once

#include <stdint.h>

namespace hiillos::arch {

// TSC ticks per second over one window of `milliseconds` of HPET time. Each end of the window
// is bracketed by two TSC reads around the HPET read (an MMIO read is slow, and under emulation
// it may be preempted), so the error is the bracket width, not the read latency. 0 if there is
// no HPET.
uint64_t MeasureTscHzWithHpet(uint32_t milliseconds);

}  // namespace hiillos::arch
