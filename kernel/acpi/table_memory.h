// kernel/acpi/table_memory.h — which physical ranges the kernel lets the ACPI parsers read
// (pure policy over the boot memory map, host tested).
#pragma once

#include <stdint.h>

#include "uapi/boot_info.h"

namespace hiillos::acpi {

// True if [phys, phys + length) may hold firmware tables: it does not wrap, ends at or below
// `readable_limit` (the end of the kernel's direct map), and overlaps no range the kernel owns
// or hands out (usable, loader-reclaimable, boot data, kernel, modules, framebuffer, MMIO,
// unusable). ACPI reclaimable/NVS, reserved memory and holes in the map are allowed: firmware
// puts the RSDP and tables in any of those. length 0 is allowed (an empty read).
bool AcpiRangeReadable(const uapi::MemoryRange* map, uint32_t count, uint64_t readable_limit,
                       uint64_t phys, uint64_t length);

// The end of the kernel's direct map for this memory map: the highest end of any range, at least
// 4 GiB, rounded up to 1 GiB (mm::KernelSpaceInit maps exactly this).
uint64_t DirectMapLimit(const uapi::MemoryRange* map, uint32_t count);

}  // namespace hiillos::acpi
