// kernel/boot/time_init.h — stage-5 time set-up: HPET, TSC calibration against it (PIT as the
// fallback), the continuous switch of the kernel clock, and the boot CPU's LAPIC tick.
#pragma once

#include "lib/acpi/discover.h"

namespace hiillos::boot {

enum class TscReference : uint8_t { kNone, kPit, kHpet };

// Boot CPU, once, interrupts off, after the local APIC is set up (interrupt_controllers.h).
// Panics only if no clock works at all (no HPET and the PIT does not count).
void PlatformTimeInit(const acpi::AcpiInfo& acpi);

// What the current TSC frequency was measured against.
TscReference CurrentTscReference();

// Median of `rounds` (<= 9) TSC frequency measurements of `milliseconds` each against the
// HPET (0 without one). Also used by the tests for an independent second measurement.
uint64_t MeasureTscHzAgainstHpet(uint32_t milliseconds, int rounds);

}  // namespace hiillos::boot
