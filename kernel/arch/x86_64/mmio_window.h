// kernel/arch/x86_64/mmio_window.h — the kernel's MMIO window: uncached mappings of device
// registers (local APIC, IOAPICs, HPET) in a reserved upper-half range (docs/kernel-memory.md).
//
// Ownership: the window's next-free pointer is guarded by a spinlock; mappings are permanent
// (device registers are needed for the kernel's lifetime), so there is no unmap.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"

namespace hiillos::arch {

inline constexpr uint64_t kMmioWindowBase = 0xffff'e000'0000'0000ull;
inline constexpr uint64_t kMmioWindowSize = 64ull << 30;  // 64 GiB of address space

enum class MmioError : uint8_t {
  kBadRange,    // empty, wrapping, or beyond the 52-bit physical address space
  kWindowFull,  // no virtual space left in the window
  kMapFailed,   // the page tables could not be extended (out of memory)
};

// Maps the pages covering [phys, phys + bytes) uncached (PCD|PWT), writable, non-executable and
// global at fresh addresses in the window, followed by an unmapped guard page. Returns the
// virtual address of `phys` itself (same offset within its page).
Result<uint64_t, MmioError> MapMmio(uint64_t phys, uint64_t bytes);

// True if a page of [phys, phys + bytes) was mapped by MapMmio: the kernel's own device
// registers, which user space must never map (DeviceMemoryCreateFrame refuses them). The
// record is kept for the kernel's lifetime (kMaxKernelMmioRanges ranges; MapMmio fails with
// kWindowFull beyond that). A range that wraps counts as overlapping.
bool MmioOwnedByKernel(uint64_t phys, uint64_t bytes);
inline constexpr uint32_t kMaxKernelMmioRanges = 32;

// True if `virt` lies inside the window (tests).
constexpr bool InMmioWindow(uint64_t virt) {
  return virt >= kMmioWindowBase && virt - kMmioWindowBase < kMmioWindowSize;
}

}  // namespace hiillos::arch
