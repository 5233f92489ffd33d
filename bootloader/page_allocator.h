// bootloader/page_allocator.h — the loader's page allocations, remembered by purpose.
//
// Every allocation the kernel must know about (its image, modules, boot data) is recorded with
// its uapi::MemoryKind so the BootInfo memory map can label it; the firmware's map only says
// "loader data". Owns a fixed table; lives until hand-off.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "bootloader/loader_error.h"
#include "bootloader/uefi.h"
#include "lib/base/page_size.h"
#include "uapi/boot_info.h"

namespace hiillos::loader::pages {

inline constexpr uint64_t kAnyAddress = ~0ull;

struct Allocation {
  uint64_t base;
  uint64_t pages;
  uapi::MemoryKind kind;
};

struct Request {
  uint64_t pages;
  uapi::MemoryKind kind;  // kLoaderReclaimable: not recorded (the firmware map covers it)
  const char* what;       // for the error message
  EFI_MEMORY_TYPE type = EfiLoaderData;
  uint64_t max_address = kAnyAddress;  // highest address the last byte may have
};

void Init(EFI_BOOT_SERVICES* boot_services);

// Allocates zeroed pages. Fails with a printed message (out of memory, table full).
EfiResult<uint64_t> Allocate(const Request& request);

// Returns pages from an unrecorded (kLoaderReclaimable) allocation to the firmware.
void Free(uint64_t base, uint64_t pages);

size_t AllocationCount();
const Allocation& AllocationAt(size_t i);

inline uint64_t PagesFor(uint64_t bytes) {
  return bytes / kPageSize + (bytes % kPageSize != 0);
}

}  // namespace hiillos::loader::pages
