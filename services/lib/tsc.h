// services/lib/tsc.h — ReadTsc: the CPU's time-stamp counter, for boot-stage timestamps
// (docs/boot-stages.md). User mode may read it (the kernel leaves CR4.TSD clear).
#pragma once

#include <stdint.h>

namespace hiillos::rt {

inline uint64_t ReadTsc() {
  uint32_t low = 0;
  uint32_t high = 0;
  asm volatile("rdtsc" : "=a"(low), "=d"(high));
  return (uint64_t{high} << 32) | low;
}

}  // namespace hiillos::rt
