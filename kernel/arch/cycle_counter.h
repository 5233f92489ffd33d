// kernel/arch/cycle_counter.h — the architecture interface for the per-CPU cycle counter (the
// TSC on x86-64): a cheap monotonic count whose rate kernel/time calibrates.
#pragma once

#include <stdint.h>

#include "lib/x86/cpu.h"

namespace hiillos::arch {

// The calling CPU's cycle counter.
inline uint64_t ReadCycleCounter() {
  return x86::ReadTsc();
}

}  // namespace hiillos::arch
