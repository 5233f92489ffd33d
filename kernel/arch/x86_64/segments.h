// kernel/arch/x86_64/segments.h — GDT layout, segment selectors, descriptor and TSS encodings.
//
// Pure definitions (no instructions), so host tests check the encodings bit for bit.
// References: Intel SDM Vol.3A §3.4.2 (selectors), §3.4.5 (segment descriptors), §3.5 (system
// descriptor types), §7.2.3 (TSS descriptor in 64-bit mode) and §7.7 (task management in 64-bit
// mode, the 64-bit TSS); chapters 7/8 swapped numbers in the 2023 edition.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::arch {

// GDT slots. The order is dictated by SYSCALL/SYSRET (SDM Vol.3A §5.8.8 and IA32_STAR):
//   SYSCALL: CS = STAR[47:32], SS = STAR[47:32] + 8            -> kernel code, kernel data
//   SYSRET (64-bit): CS = STAR[63:48] + 16, SS = STAR[63:48] + 8 -> user data, user code
// so STAR[63:48] = kUserBase (slot 3, a 32-bit user code slot we leave null: no compat mode).
enum GdtSlot : uint16_t {
  kGdtNull = 0,
  kGdtKernelCode = 1,
  kGdtKernelData = 2,
  kGdtUserBase = 3,  // null: would be 32-bit user code for SYSRET to compatibility mode
  kGdtUserData = 4,
  kGdtUserCode = 5,
  kGdtTss = 6,  // 16-byte system descriptor: slots 6 and 7
  kGdtSlotCount = 8,
};

inline constexpr uint16_t kRing3 = 3;
inline constexpr uint16_t kKernelCodeSelector = kGdtKernelCode * 8;       // 0x08
inline constexpr uint16_t kKernelDataSelector = kGdtKernelData * 8;       // 0x10
inline constexpr uint16_t kUserDataSelector = kGdtUserData * 8 | kRing3;  // 0x23
inline constexpr uint16_t kUserCodeSelector = kGdtUserCode * 8 | kRing3;  // 0x2b
inline constexpr uint16_t kTssSelector = kGdtTss * 8;                     // 0x30

// IA32_STAR[63:32] for SYSCALL/SYSRET (the low 32 bits are unused in 64-bit mode).
inline constexpr uint64_t kStarValue = (static_cast<uint64_t>(kGdtUserBase * 8 | kRing3) << 48) |
                                       (static_cast<uint64_t>(kKernelCodeSelector) << 32);
static_assert(((kStarValue >> 32) & 0xffff) + 8 == kKernelDataSelector, "SYSCALL SS = CS + 8");
static_assert(((kStarValue >> 48) & 0xffff) + 8 == kUserDataSelector, "SYSRET SS = base + 8");
static_assert(((kStarValue >> 48) & 0xffff) + 16 == kUserCodeSelector, "SYSRET CS = base + 16");

// Code/data segment descriptor (SDM Vol.3A §3.4.5, Figure 3-8). In 64-bit mode base and limit
// are ignored for CS/DS/SS; we still fill a flat 4 GiB limit as the SDM's examples do.
inline constexpr uint64_t kDescAccessed = 1ull << 40;
inline constexpr uint64_t kDescReadWrite = 1ull << 41;  // code: readable, data: writable
inline constexpr uint64_t kDescExecutable = 1ull << 43;
inline constexpr uint64_t kDescCodeOrData = 1ull << 44;  // S = 1
inline constexpr uint64_t kDescPresent = 1ull << 47;
inline constexpr uint64_t kDescLongMode = 1ull << 53;   // L: 64-bit code segment
inline constexpr uint64_t kDescDefault32 = 1ull << 54;  // D/B (must be 0 with L = 1)
inline constexpr uint64_t kDescGranularity4K = 1ull << 55;

constexpr uint64_t DescDpl(uint64_t dpl) {
  return (dpl & 3) << 45;
}
constexpr uint64_t kFlatLimit = 0xffffull | (0xfull << 48);

constexpr uint64_t CodeDescriptor(uint64_t dpl) {
  return kFlatLimit | kDescAccessed | kDescReadWrite | kDescExecutable | kDescCodeOrData |
         DescDpl(dpl) | kDescPresent | kDescLongMode | kDescGranularity4K;
}
constexpr uint64_t DataDescriptor(uint64_t dpl) {
  return kFlatLimit | kDescAccessed | kDescReadWrite | kDescCodeOrData | DescDpl(dpl) |
         kDescPresent | kDescDefault32 | kDescGranularity4K;
}
// The values every x86-64 kernel uses (accessed bit pre-set so the CPU never writes the GDT).
static_assert(CodeDescriptor(0) == 0x00af'9b00'0000'ffffull);
static_assert(DataDescriptor(0) == 0x00cf'9300'0000'ffffull);
static_assert(CodeDescriptor(3) == 0x00af'fb00'0000'ffffull);
static_assert(DataDescriptor(3) == 0x00cf'f300'0000'ffffull);

// The 64-bit TSS (SDM Vol.3A §7.7, Figure 7-11). Only RSP0-2 and IST1-7 matter; the I/O map base
// points past the end, so there is no I/O permission bitmap (all ports fault at CPL 3).
struct [[gnu::packed]] Tss {
  uint32_t reserved0;
  uint64_t rsp[3];  // stack for a privilege change to ring 0/1/2 (rsp[0] = thread kernel stack)
  uint64_t reserved1;
  uint64_t ist[7];  // IST1..IST7 (ist[0] is IST1)
  uint64_t reserved2;
  uint16_t reserved3;
  uint16_t io_map_base;
};
static_assert(sizeof(Tss) == 104);
static_assert(offsetof(Tss, rsp) == 4);
static_assert(offsetof(Tss, ist) == 36);
static_assert(offsetof(Tss, io_map_base) == 102);

// Available 64-bit TSS descriptor: 16 bytes, type 9 (SDM Vol.3A §7.2.3, Figure 7-4 / Table 3-2).
struct TssDescriptor {
  uint64_t low;
  uint64_t high;
};
constexpr TssDescriptor MakeTssDescriptor(uint64_t base, uint32_t limit) {
  uint64_t low = (limit & 0xffffull) | ((base & 0xff'ffffull) << 16) | (0x9ull << 40) |
                 kDescPresent | ((static_cast<uint64_t>(limit) >> 16 & 0xf) << 48) |
                 ((base >> 24 & 0xff) << 56);
  return {low, base >> 32};
}

// IST slots (1-based as in the IDT gate's IST field).
inline constexpr uint8_t kIstDoubleFault = 1;
inline constexpr uint8_t kIstNmi = 2;
inline constexpr uint8_t kIstMachineCheck = 3;
inline constexpr uint8_t kIstPageFault = 4;
inline constexpr uint8_t kIstCount = 4;
inline constexpr size_t kIstStackSize = 16 * 1024;

}  // namespace hiillos::arch
