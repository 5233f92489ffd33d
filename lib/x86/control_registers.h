// lib/x86/control_registers.h — CR0/CR2/CR3/CR4 access and bits (SDM Vol.3A §2.5).
#pragma once

#include <stdint.h>

namespace hiillos::x86 {

// CR0 (SDM Vol.3A §2.5).
inline constexpr uint64_t kCr0WriteProtect = 1ull << 16;  // WP: ring 0 honours read-only pages

// CR4 (SDM Vol.3A §2.5).
inline constexpr uint64_t kCr4Pge = 1ull << 7;        // global pages
inline constexpr uint64_t kCr4Umip = 1ull << 11;      // SGDT/SIDT/SLDT/SMSW/STR fault at CPL>0
inline constexpr uint64_t kCr4FsGsBase = 1ull << 16;  // RD/WR{FS,GS}BASE instructions
inline constexpr uint64_t kCr4Pcide = 1ull << 17;     // process-context identifiers
inline constexpr uint64_t kCr4Smep = 1ull << 20;      // supervisor-mode execution prevention
inline constexpr uint64_t kCr4Smap = 1ull << 21;      // supervisor-mode access prevention

inline uint64_t ReadCr0() {
  uint64_t value;
  asm volatile("mov %%cr0, %0" : "=r"(value));
  return value;
}
inline void WriteCr0(uint64_t value) {
  asm volatile("mov %0, %%cr0" : : "r"(value) : "memory");
}

// CR2 holds the linear address of the last page fault.
inline uint64_t ReadCr2() {
  uint64_t value;
  asm volatile("mov %%cr2, %0" : "=r"(value));
  return value;
}

// CR3: the kernel's kernel/arch/x86_64/mmu.h.

inline uint64_t ReadCr4() {
  uint64_t value;
  asm volatile("mov %%cr4, %0" : "=r"(value));
  return value;
}
inline void WriteCr4(uint64_t value) {
  asm volatile("mov %0, %%cr4" : : "r"(value) : "memory");
}

inline uint64_t ReadRflags() {
  uint64_t value;
  asm volatile("pushfq; popq %0" : "=r"(value));
  return value;
}
inline constexpr uint64_t kRflagsInterrupt = 1ull << 9;        // IF
inline constexpr uint64_t kRflagsAlignmentCheck = 1ull << 18;  // AC (SMAP override when set)

}  // namespace hiillos::x86
