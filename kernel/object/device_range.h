// kernel/object/device_range.h — the rule behind DeviceMemory: which physical ranges count as
// device memory (host-tested, kernel/object/device_range_test.cc).
//
// A range is device memory when it is non-empty, page aligned, below the 52-bit physical limit
// and touches no firmware-map entry of a RAM kind: usable RAM, loader- and boot-data memory,
// the kernel image, boot modules and unusable (bad) RAM, and kinds this kernel does not know.
// Everything else qualifies: MMIO the firmware reports, reserved ranges, ACPI tables and NVS
// (never reclaimed by this kernel), the framebuffer, and addresses the map does not mention
// (PCI BARs and ECAM usually sit in such holes).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/checked.h"
#include "lib/base/page_size.h"
#include "uapi/boot_info.h"

namespace hiillos::object {

enum class DeviceRangeVerdict : uint8_t {
  kDevice,   // may be handed out as a device frame
  kInvalid,  // empty, unaligned, wrapping or beyond the physical limit
  kRam,      // touches RAM (or memory of an unknown kind)
};

inline constexpr uint64_t kDevicePhysicalLimit = 1ull << 52;

[[nodiscard]] constexpr bool IsRamKind(uapi::MemoryKind kind) {
  switch (kind) {
    case uapi::MemoryKind::kReserved:
    case uapi::MemoryKind::kAcpiReclaimable:
    case uapi::MemoryKind::kAcpiNvs:
    case uapi::MemoryKind::kFramebuffer:
    case uapi::MemoryKind::kMmio:
      return false;
    default:
      return true;  // usable, loader, boot data, kernel, module, unusable, unknown
  }
}

// The verdict for [phys, phys + size) against `map[0, count)` (any order, overlaps allowed;
// entries whose end wraps are treated as reaching the top of the address space).
[[nodiscard]] constexpr DeviceRangeVerdict CheckDeviceRange(const uapi::MemoryRange* map,
                                                            size_t count, uint64_t phys,
                                                            uint64_t size) {
  uint64_t end = 0;
  if (size == 0 || !IsAligned(phys, kPageSize) || !IsAligned(size, kPageSize) ||
      !CheckedAdd(phys, size, &end) || end > kDevicePhysicalLimit) {
    return DeviceRangeVerdict::kInvalid;
  }
  for (size_t i = 0; i < count; ++i) {
    const uapi::MemoryRange& entry = map[i];
    if (entry.size == 0 || !IsRamKind(entry.kind)) continue;
    uint64_t entry_end = 0;
    if (!CheckedAdd(entry.base, entry.size, &entry_end)) entry_end = ~uint64_t{0};
    if (phys < entry_end && entry.base < end) return DeviceRangeVerdict::kRam;
  }
  return DeviceRangeVerdict::kDevice;
}

}  // namespace hiillos::object
