// kernel/arch/timer.h — the architecture interface for the per-CPU scheduler tick: its rate,
// the hook called on every tick, per-CPU tick counts, and the boot-time calibration and start.
//
// From the implementation (kernel/arch/x86_64/lapic_timer.h): kTickHz, TimerTickHandler,
// SetTimerTickHandler, GetTimerTickHandler, TimerTicks, TimerMode, CurrentTimerMode,
// LapicTimerCalibrate, LapicTimerStartThisCpu.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/trap_frame.h"
#include "kernel/arch/x86_64/lapic_timer.h"

namespace hiillos::arch {

static_assert(kTickHz > 0);
static_assert(requires(TimerTickHandler handler, uint32_t cpu, uint64_t hz) {
  { SetTimerTickHandler(handler) } -> SameAs<void>;
  { GetTimerTickHandler() } -> SameAs<TimerTickHandler>;
  { TimerTicks(cpu) } -> SameAs<uint64_t>;
  { LapicTimerCalibrate(hz) } -> SameAs<uint64_t>;
  { LapicTimerStartThisCpu() } -> SameAs<void>;
  { CurrentTimerMode() } -> SameAs<TimerMode>;
});

}  // namespace hiillos::arch
