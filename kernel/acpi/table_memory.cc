// kernel/acpi/table_memory.cc — the ACPI read policy over the memory map.
#include "kernel/acpi/table_memory.h"

#include "lib/base/checked.h"

namespace hiillos::acpi {
namespace {

bool KernelOwned(uapi::MemoryKind kind) {
  switch (kind) {
    case uapi::MemoryKind::kAcpiReclaimable:
    case uapi::MemoryKind::kAcpiNvs:
    case uapi::MemoryKind::kReserved:
      return false;
    default:
      return true;  // every other kind, including values this kernel does not know
  }
}

}  // namespace

bool AcpiRangeReadable(const uapi::MemoryRange* map, uint32_t count, uint64_t readable_limit,
                       uint64_t phys, uint64_t length) {
  uint64_t end = 0;
  if (!CheckedAdd(phys, length, &end) || end > readable_limit) return false;
  if (length == 0) return true;
  for (uint32_t i = 0; i < count; ++i) {
    if (!KernelOwned(map[i].kind)) continue;
    uint64_t range_end = 0;
    if (!CheckedAdd(map[i].base, map[i].size, &range_end)) range_end = ~0ull;
    if (map[i].base < end && phys < range_end) return false;
  }
  return true;
}

uint64_t DirectMapLimit(const uapi::MemoryRange* map, uint32_t count) {
  constexpr uint64_t kGiB = 1ull << 30;
  uint64_t highest = 4 * kGiB;
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t end = 0;
    if (!CheckedAdd(map[i].base, map[i].size, &end)) continue;  // garbage entry: not mapped
    if (end > highest) highest = end;
  }
  uint64_t rounded = 0;
  if (!AlignUp(highest, kGiB, &rounded)) return highest;
  return rounded;
}

}  // namespace hiillos::acpi
