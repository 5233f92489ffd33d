// kernel/arch/x86_64/lapic_timer.h — the per-CPU tick: the local APIC timer in periodic mode,
// or TSC-deadline mode re-armed on every tick where CPUID.1:ECX[24] has it (SDM Vol.3A §10.5.4).
//
// Ownership: the calibration (LapicTimerCalibrate) and the tick handler hook are set on the boot
// CPU (the hook may also be replaced later, atomically); each CPU starts its own timer and only
// it increments its own tick counter, which any CPU may read.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"

namespace hiillos::arch {

inline constexpr uint32_t kTickHz = 100;  // scheduler tick: every 10 ms on every CPU

enum class TimerMode : uint8_t { kNone, kPeriodic, kTscDeadline };

// Boot CPU, once, interrupts off, after the LAPIC is set up and the TSC is calibrated: measures
// the APIC timer's input clock (divide-by-16) against the HPET, or the TSC clock without one,
// and chooses the mode. Returns the measured timer frequency in Hz (after the divider).
uint64_t LapicTimerCalibrate(uint64_t tsc_hz);

// Every CPU (after LapicCpuInit): starts this CPU's tick on kVectorTimer at kTickHz.
void LapicTimerStartThisCpu();
// Stops this CPU's tick (masks the LVT entry).
void LapicTimerStopThisCpu();

// Called after every tick (after the EOI, interrupts off, on the ticking CPU). nullptr = none.
void SetTimerTickHandler(void (*handler)(InterruptFrame& frame));
// The handler installed now (tests save and restore it).
using TimerTickHandler = void (*)(InterruptFrame& frame);
TimerTickHandler GetTimerTickHandler();

// Ticks CPU `cpu_index` has taken since its timer started.
uint64_t TimerTicks(uint32_t cpu_index);
TimerMode CurrentTimerMode();
uint64_t LapicTimerHz();

}  // namespace hiillos::arch
