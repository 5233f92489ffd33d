// kernel/arch/x86_64/mmu.h — CR3 and TLB control, paging feature checks (SDM Vol.3A §4.10).
#pragma once

#include <stdint.h>

#include "lib/x86/cpu.h"

namespace hiillos::arch {

inline uint64_t ReadCr3() {
  uint64_t value;
  asm volatile("mov %%cr3, %0" : "=r"(value));
  return value;
}
// Loading CR3 flushes all non-global TLB entries (SDM Vol.3A §4.10.4.1).
inline void WriteCr3(uint64_t value) {
  asm volatile("mov %0, %%cr3" : : "r"(value) : "memory");
}
inline void InvalidatePage(uint64_t virt) {
  asm volatile("invlpg (%0)" : : "r"(virt) : "memory");
}

}  // namespace hiillos::arch
