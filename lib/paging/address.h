// lib/paging/address.h — virtual-address decomposition and canonical checks for 4-level paging.
#pragma once

#include <stdint.h>

#include "lib/base/page_size.h"
#include "lib/paging/types.h"

namespace hiillos::paging {

// Levels of the 4-level walk, top first (SDM Vol.3A §4.5, Figure 4-8): PML4 → PDPT → PD → PT.
inline constexpr int kLevelPml4 = 3;
// PML4 entries 256..511 map the kernel half; their PDPTs are shared by every address space.
inline constexpr uint64_t kFirstSharedPml4Index = 256;
inline constexpr int kLevelPdpt = 2;
inline constexpr int kLevelPd = 1;
inline constexpr int kLevelPt = 0;

inline constexpr uint64_t kEntriesPerTable = 512;
inline constexpr uint64_t kTableBytes = kPageSize;  // a table fills one page
// 4-level paging translates 48-bit linear addresses (SDM Vol.3A §4.5).
inline constexpr int kVirtualAddressBits = 48;
// MAXPHYADDR is at most 52 (SDM Vol.3A §4.1.4); entries hold bits 51:12.
inline constexpr uint64_t kPhysicalAddressLimit = 1ull << 52;
// First address of the upper canonical half; [kLowerHalfEnd, kUpperHalfBase) is the hole.
inline constexpr uint64_t kLowerHalfEnd = 1ull << (kVirtualAddressBits - 1);
inline constexpr uint64_t kUpperHalfBase = ~(kLowerHalfEnd - 1);

// The level whose entry maps a page of `size` directly.
constexpr int LeafLevel(PageSize size) {
  switch (size) {
    case PageSize::k4K:
      return kLevelPt;
    case PageSize::k2M:
      return kLevelPd;
    case PageSize::k1G:
      return kLevelPdpt;
  }
  return kLevelPt;
}

// Bytes covered by one entry at `level` (4 KiB at the PT, 512 GiB at the PML4).
constexpr uint64_t EntryCoverage(int level) {
  return 0x1000ull << (9 * level);
}

// Index of `virt`'s entry in its table at `level` (bits 47:39, 38:30, 29:21, 20:12).
constexpr uint64_t TableIndex(uint64_t virt, int level) {
  return (virt >> (12 + 9 * level)) & (kEntriesPerTable - 1);
}

constexpr uint64_t PageOffset(uint64_t virt, PageSize size) {
  return virt & (Bytes(size) - 1);
}

// A canonical address has bits 63:47 all equal (SDM Vol.1 §3.3.7.1, Vol.3A §4.5).
constexpr bool IsCanonical(uint64_t virt) {
  uint64_t top = virt >> (kVirtualAddressBits - 1);
  return top == 0 || top == (~0ull >> (kVirtualAddressBits - 1));
}

// True when [virt, virt + bytes) is non-empty, does not wrap, and lies inside one canonical half.
constexpr bool IsCanonicalRange(uint64_t virt, uint64_t bytes) {
  if (bytes == 0 || virt + (bytes - 1) < virt) return false;
  uint64_t last = virt + (bytes - 1);
  return IsCanonical(virt) && IsCanonical(last) && ((virt ^ last) >> 63) == 0;
}

struct VirtualAddressParts {
  uint16_t pml4;
  uint16_t pdpt;
  uint16_t pd;
  uint16_t pt;
  uint16_t offset;  // offset inside a 4 KiB page
};

constexpr VirtualAddressParts Decompose(uint64_t virt) {
  return {static_cast<uint16_t>(TableIndex(virt, kLevelPml4)),
          static_cast<uint16_t>(TableIndex(virt, kLevelPdpt)),
          static_cast<uint16_t>(TableIndex(virt, kLevelPd)),
          static_cast<uint16_t>(TableIndex(virt, kLevelPt)), static_cast<uint16_t>(virt & 0xfff)};
}

// Inverse of Decompose: builds the canonical address (sign-extends bit 47).
constexpr uint64_t Compose(VirtualAddressParts parts) {
  uint64_t virt = (uint64_t{parts.pml4} & 511) << 39 | (uint64_t{parts.pdpt} & 511) << 30 |
                  (uint64_t{parts.pd} & 511) << 21 | (uint64_t{parts.pt} & 511) << 12 |
                  (parts.offset & 0xfff);
  if (virt & kLowerHalfEnd) virt |= kUpperHalfBase;
  return virt;
}

static_assert(TableIndex(0xffff'8000'0000'0000ull, kLevelPml4) == 256);
static_assert(TableIndex(0xffff'ffff'8000'0000ull, kLevelPdpt) == 510);
static_assert(!IsCanonical(0x0000'8000'0000'0000ull) && IsCanonical(0xffff'8000'0000'0000ull));
static_assert(Compose(Decompose(0xffff'ffff'8020'1abcull)) == 0xffff'ffff'8020'1abcull);

}  // namespace hiillos::paging
