// kernel/mm/memory_map.h — turns the loader's memory map into the RAM the PMM may hand out.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/error.h"
#include "kernel/mm/phys_range.h"
#include "lib/base/result.h"
#include "uapi/boot_info.h"

namespace hiillos::mm {

struct UsableRangeOptions {
  // Also hand out UEFI boot-services memory and the loader image (once nothing uses them).
  bool include_loader_reclaimable = false;
  // Also hand out ACPI tables (once they are parsed).
  bool include_acpi_reclaimable = false;
  // More ranges never to hand out (the PMM's own metadata, the AP trampoline, ...).
  const PhysRange* exclude = nullptr;
  size_t exclude_count = 0;
};

// The usable RAM in `map[0, count)`: pages fully inside an entry of an allowed kind (kUsable,
// plus what `options` adds) and not touched by any entry of another kind, by a zero-free
// `options.exclude` range, or (BootInfo overload) by the kernel image, a module, the framebuffer
// or the boot page-table root recorded in BootInfo. Robust to unsorted, overlapping, unaligned
// and zero-size entries and to unknown kinds (treated as reserved). Writes ranges sorted by
// base, merged (no two touch) and page aligned to out[0, n) and returns n.
// Errors: kTooManyRanges (capacity too small for the merged result).
Result<size_t, Error> UsableRanges(const uapi::MemoryRange* map, size_t count,
                                   const UsableRangeOptions& options, PhysRange* out,
                                   size_t capacity);

// As above for a BootInfo. Errors: kBadBootInfo (magic, version, size, or a count beyond its
// array), kTooManyRanges.
Result<size_t, Error> UsableRanges(const uapi::BootInfo& info, const UsableRangeOptions& options,
                                   PhysRange* out, size_t capacity);

// Takes `bytes` (rounded up to pages) from the end of the highest range in ranges[0, count)
// that holds them, shrinking that range, and returns the physical base of what was taken:
// where the PMM's metadata goes. Errors: kBadRange (bytes == 0), kOutOfMemory.
Result<uint64_t, Error> CarveFromRanges(PhysRange* ranges, size_t count, uint64_t bytes);

}  // namespace hiillos::mm
