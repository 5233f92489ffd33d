// bootloader/memory_map.h — turning firmware memory descriptors plus the loader's own
// allocations into the BootInfo memory map (sorted, non-overlapping, merged, page-granular).
//
// Pure logic without efi.h so host tests can run it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "uapi/boot_info.h"

namespace hiillos::loader {

// EFI_MEMORY_TYPE values (UEFI spec 2.10 §7.2.1, Table 7-6) mapped to our kinds: boot services
// and loader memory is reclaimable, runtime services memory stays reserved (we never call
// runtime services after hand-off, but firmware may still own it), unknown types are reserved.
uapi::MemoryKind KindFromUefiType(uint32_t type);

// One input range. Inputs may overlap (an allocation inside a firmware "loader data" range, a
// framebuffer inside MMIO or in no descriptor at all); where they do the more specific kind wins:
// kernel > module > boot data > framebuffer > unusable > reserved > ACPI NVS > MMIO >
// ACPI reclaimable > loader reclaimable > usable. Bases round down and ends round up to pages.
struct RangeInput {
  uint64_t base;
  uint64_t size;
  uapi::MemoryKind kind;
};

enum class MemoryMapError : uint8_t {
  kScratchTooSmall,  // scratch holds fewer than 2 * input_count entries
  kTooManyRanges,    // the result needs more than `out_capacity` ranges
};
const char* MemoryMapErrorString(MemoryMapError error);

// Writes the normalised map to out[0, n) and returns n. `scratch` is working memory for
// 2 * input_count addresses (no allocation here: this runs between GetMemoryMap and
// ExitBootServices). Gaps between inputs stay gaps.
Result<uint32_t, MemoryMapError> BuildMemoryMap(const RangeInput* inputs, size_t input_count,
                                                uint64_t* scratch, size_t scratch_count,
                                                uapi::MemoryRange* out, size_t out_capacity);

}  // namespace hiillos::loader
