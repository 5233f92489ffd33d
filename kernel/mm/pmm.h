// kernel/mm/pmm.h — the kernel's physical memory manager: one buddy allocator over the boot
// memory map, behind a spinlock, with per-use accounting (docs/kernel-memory.md).
#pragma once

#include <stdint.h>

#include "kernel/mm/error.h"
#include "kernel/mm/page_use.h"
#include "lib/base/result.h"
#include "uapi/boot_info.h"

namespace hiillos::mm {

// Builds the allocator from `info`: usable and loader-reclaimable memory become free; boot
// data (BootInfo, boot stack, loader page tables) is held until ReleaseBootData(); memory below
// 1 MiB stays out (real-mode trampolines, legacy BIOS areas).
Result<void, Error> PmmInit(const uapi::BootInfo& info);

// Physically contiguous, naturally aligned 0x1000 << order bytes; contents are undefined.
Result<uint64_t, Error> AllocatePages(unsigned order, PageUse use);
Result<void, Error> FreePages(uint64_t phys, unsigned order);
// Returns the boot data held since PmmInit (call once nothing reads BootInfo or the boot stack).
Result<void, Error> ReleaseBootData();

struct PmmStats {
  uint64_t total_pages;  // every page the allocator manages (free + used)
  uint64_t free_pages;
  uint64_t used_pages[kPageUseCount];  // indexed by PageUse
  uint64_t metadata_pages;             // the allocator's own bookkeeping (not in total)
};
PmmStats GetPmmStats();

inline void* PhysToVirt(uint64_t phys) {
  return reinterpret_cast<void*>(uapi::kHhdmBase + phys);
}
inline uint64_t VirtToPhys(const void* hhdm_pointer) {
  return reinterpret_cast<uint64_t>(hhdm_pointer) - uapi::kHhdmBase;
}

}  // namespace hiillos::mm
