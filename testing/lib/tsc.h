// testing/lib/tsc.h — the TSC read the guest benchmark's programs time with: ordered with the
// surrounding code by the compiler (the "memory" clobber); the CPU under TCG executes in
// order, so no fence is needed for the emulated figures.
#pragma once

#include <stdint.h>

namespace hiillos::testing_lib {

inline uint64_t ReadTsc() {
  uint32_t lo, hi;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi)::"memory");
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

}  // namespace hiillos::testing_lib
