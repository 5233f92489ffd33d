// kernel/arch/x86_64/cpu.h — small CPU instructions: TSC, CPUID, halt, interrupt flag.
#pragma once

#include <stdint.h>

namespace hiillos::arch {

inline uint64_t ReadTsc() {
  uint32_t low, high;
  asm volatile("rdtsc" : "=a"(low), "=d"(high));
  return (static_cast<uint64_t>(high) << 32) | low;
}

struct CpuidResult {
  uint32_t eax, ebx, ecx, edx;
};
inline CpuidResult Cpuid(uint32_t leaf, uint32_t subleaf = 0) {
  CpuidResult r;
  asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
  return r;
}

inline void Pause() { asm volatile("pause"); }
inline void DisableInterrupts() { asm volatile("cli" ::: "memory"); }
inline void EnableInterrupts() { asm volatile("sti" ::: "memory"); }

[[noreturn]] inline void HaltForever() {
  for (;;) asm volatile("cli; hlt");
}

}  // namespace hiillos::arch
