// kernel/arch/idle_time.h — the architecture interface for idle-time accounting: the idle loop's
// wait for an interrupt, and each CPU's monotonic total of cycle-counter ticks spent in it
// (SystemCpuTimes, docs/syscalls.md; the file-system benchmark, docs/performance.md).
//
// From the implementation (kernel/arch/x86_64/idle_time.h): IdleWait, IdleWakeStamp,
// IdleWorkFound, IdleTicks, IdleEmptyWakeTicks.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/idle_time.h"

namespace hiillos::arch {

static_assert(requires(uint32_t cpu, uint64_t tsc) {
  { IdleWait() } -> SameAs<void>;
  { IdleWorkFound() } -> SameAs<void>;
  { IdleTicks(cpu, tsc) } -> SameAs<uint64_t>;
  { IdleEmptyWakeTicks(cpu) } -> SameAs<uint64_t>;
});

}  // namespace hiillos::arch
