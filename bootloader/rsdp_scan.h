// bootloader/rsdp_scan.h — finding the ACPI RSDP the legacy-BIOS way (ACPI 6.5 §5.2.5.1): on a
// 16-byte boundary in the first KiB of the EBDA (its segment is the 16-bit word at 0x40e), then
// in 0xe0000-0xfffff. Used where no UEFI configuration table names it (the multiboot shim).
#pragma once

#include <stdint.h>

#include "bootloader/physical_view.h"

namespace hiillos::loader {

// True when the bytes at `phys` are a valid RSDP (lib/acpi's ReadRsdp: signature "RSD PTR ", the
// ACPI 1.0 checksum over 20 bytes and, for revision >= 2, the extended checksum over its stated
// length, 36..4096).
bool IsValidRsdp(const PhysicalView& memory, uint64_t phys);

// The physical address of the first valid RSDP in the legacy areas, or 0 when there is none.
uint64_t ScanLegacyRsdp(const PhysicalView& memory);

}  // namespace hiillos::loader
