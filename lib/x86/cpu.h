// lib/x86/cpu.h — small x86-64 instructions shared by loader and kernel: TSC, CPUID, halt, IF.
#pragma once

#include <stdint.h>

namespace hiillos::x86 {

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
  asm volatile("cpuid"
               : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
               : "a"(leaf), "c"(subleaf));
  return r;
}

// CPUID.80000001H:EDX (SDM Vol.2A CPUID): NX is bit 20, 1-GByte pages bit 26.
inline bool HasExtendedLeaf(uint32_t leaf) {
  return Cpuid(0x8000'0000).eax >= leaf;
}
inline bool HasNoExecute() {
  return HasExtendedLeaf(0x8000'0001) && (Cpuid(0x8000'0001).edx & (1u << 20)) != 0;
}
inline bool HasGigabytePages() {
  return HasExtendedLeaf(0x8000'0001) && (Cpuid(0x8000'0001).edx & (1u << 26)) != 0;
}

inline void Pause() {
  asm volatile("pause");
}
inline void DisableInterrupts() {
  asm volatile("cli" ::: "memory");
}
inline void EnableInterrupts() {
  asm volatile("sti" ::: "memory");
}

[[noreturn]] inline void HaltForever() {
  for (;;) asm volatile("cli; hlt");
}

}  // namespace hiillos::x86
