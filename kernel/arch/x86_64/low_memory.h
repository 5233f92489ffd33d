// kernel/arch/x86_64/low_memory.h — choosing pages below 1 MiB for the AP start-up trampoline
// from the boot memory map (pure, host tested).
#pragma once

#include <stdint.h>

#include "uapi/boot_info.h"

namespace hiillos::arch {

// A start-up IPI vector names a page below 1 MiB (SDM Vol.3A §10.6.1: vector VV -> 0xVV000).
inline constexpr uint64_t kLowMemoryLimit = 0x10'0000;
// Page 0 holds the real-mode interrupt vector table / BIOS data area on PCs: never used.
inline constexpr uint64_t kLowMemoryFirstPage = 0x1000;

// Writes to `pages` the lowest `wanted` 4 KiB pages in [kLowMemoryFirstPage, kLowMemoryLimit)
// that lie entirely inside kUsable ranges of `map` and inside no range of any other kind (the
// map is untrusted: ranges may overlap or be unaligned). Returns how many it found.
uint32_t FindLowPages(const uapi::MemoryRange* map, uint32_t count, uint64_t* pages,
                      uint32_t wanted);

}  // namespace hiillos::arch
