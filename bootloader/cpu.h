// bootloader/cpu.h — the few x86-64 instructions the loader needs (port I/O, CPUID, MSRs, CRs).
#pragma once

#include <stdint.h>

namespace hiillos::loader::cpu {

inline constexpr uint32_t kMsrEfer = 0xc000'0080;         // IA32_EFER (SDM Vol.4 Table 2-2)
inline constexpr uint64_t kEferNxe = 1ull << 11;          // execute-disable enable
inline constexpr uint64_t kCr0WriteProtect = 1ull << 16;  // CR0.WP (SDM Vol.3A §2.5)
inline constexpr uint64_t kCr4La57 = 1ull << 12;          // 5-level paging active

inline void OutB(uint16_t port, uint8_t value) {
  __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}
inline uint8_t InB(uint16_t port) {
  uint8_t value;
  __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

inline uint64_t ReadTsc() {
  uint32_t low, high;
  __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
  return (static_cast<uint64_t>(high) << 32) | low;
}

struct CpuidResult {
  uint32_t eax, ebx, ecx, edx;
};
inline CpuidResult Cpuid(uint32_t leaf) {
  CpuidResult r;
  __asm__ volatile("cpuid"
                   : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                   : "a"(leaf), "c"(0));
  return r;
}

// CPUID.80000001H:EDX (SDM Vol.2A CPUID): NX is bit 20, 1-GByte pages bit 26.
inline bool HasNx() {
  return Cpuid(0x8000'0000).eax >= 0x8000'0001 && (Cpuid(0x8000'0001).edx & (1u << 20)) != 0;
}
inline bool Has1GPages() {
  return Cpuid(0x8000'0000).eax >= 0x8000'0001 && (Cpuid(0x8000'0001).edx & (1u << 26)) != 0;
}

inline uint64_t ReadMsr(uint32_t msr) {
  uint32_t low, high;
  __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
  return (static_cast<uint64_t>(high) << 32) | low;
}
inline void WriteMsr(uint32_t msr, uint64_t value) {
  __asm__ volatile("wrmsr"
                   :
                   : "c"(msr), "a"(static_cast<uint32_t>(value)),
                     "d"(static_cast<uint32_t>(value >> 32)));
}

inline uint64_t ReadCr0() {
  uint64_t value;
  __asm__ volatile("mov %%cr0, %0" : "=r"(value));
  return value;
}
inline void WriteCr0(uint64_t value) {
  __asm__ volatile("mov %0, %%cr0" : : "r"(value) : "memory");
}
inline uint64_t ReadCr4() {
  uint64_t value;
  __asm__ volatile("mov %%cr4, %0" : "=r"(value));
  return value;
}

inline void DisableInterrupts() {
  __asm__ volatile("cli" : : : "memory");
}

}  // namespace hiillos::loader::cpu
