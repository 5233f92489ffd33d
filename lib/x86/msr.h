// lib/x86/msr.h — model-specific registers the kernel uses (SDM Vol.4 Table 2-2).
#pragma once

#include <stdint.h>

namespace hiillos::x86 {

inline constexpr uint32_t kMsrEfer = 0xc000'0080;          // IA32_EFER
inline constexpr uint32_t kMsrStar = 0xc000'0081;          // IA32_STAR (SYSCALL/SYSRET CS)
inline constexpr uint32_t kMsrLstar = 0xc000'0082;         // IA32_LSTAR (SYSCALL RIP)
inline constexpr uint32_t kMsrFmask = 0xc000'0084;         // IA32_FMASK (SYSCALL RFLAGS mask)
inline constexpr uint32_t kMsrFsBase = 0xc000'0100;        // IA32_FS_BASE
inline constexpr uint32_t kMsrGsBase = 0xc000'0101;        // IA32_GS_BASE (active GS base)
inline constexpr uint32_t kMsrKernelGsBase = 0xc000'0102;  // IA32_KERNEL_GS_BASE (swapgs)

// IA32_EFER bits (SDM Vol.3A §2.2.1).
inline constexpr uint64_t kEferSce = 1ull << 0;   // SYSCALL/SYSRET enable
inline constexpr uint64_t kEferLme = 1ull << 8;   // long mode enable
inline constexpr uint64_t kEferNxe = 1ull << 11;  // execute-disable (XD) bit enable

inline uint64_t ReadMsr(uint32_t msr) {
  uint32_t low, high;
  asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
  return (static_cast<uint64_t>(high) << 32) | low;
}

inline void WriteMsr(uint32_t msr, uint64_t value) {
  asm volatile("wrmsr"
               :
               : "c"(msr), "a"(static_cast<uint32_t>(value)),
                 "d"(static_cast<uint32_t>(value >> 32))
               : "memory");
}

}  // namespace hiillos::x86
