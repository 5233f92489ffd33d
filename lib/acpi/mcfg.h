// lib/acpi/mcfg.h — the PCI Express memory-mapped configuration table ("MCFG"; PCI Firmware
// specification 3.2 §4.1.2, listed in ACPI 6.5 §5.2.6 Table 5.6): where each ECAM region is.
#pragma once

#include <stdint.h>

#include "lib/acpi/error.h"
#include "lib/acpi/sdt.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

// More allocation entries than this is kTooManyEntries (q35 has one; big servers a handful).
inline constexpr uint32_t kMaxEcamRegions = 16;
// ECAM gives each bus 32 devices x 8 functions x 4 KiB = 1 MiB (PCIe base spec §7.2.2).
inline constexpr uint64_t kEcamBusSize = 1u << 20;

struct EcamRegion {
  uint64_t base_address = 0;  // ECAM address of bus 0 of this segment (even if start_bus > 0)
  uint16_t segment = 0;
  uint8_t start_bus = 0;
  uint8_t end_bus = 0;  // inclusive, >= start_bus (checked)

  // The physical range actually decoded: buses start_bus..end_bus.
  uint64_t PhysStart() const { return base_address + start_bus * kEcamBusSize; }
  uint64_t PhysSize() const { return (uint64_t{end_bus} - start_bus + 1) * kEcamBusSize; }
};

struct Mcfg {
  uint32_t region_count = 0;
  EcamRegion regions[kMaxEcamRegions];
};

// Decodes a validated "MCFG" table. Checks: the allocation area is a whole number of 16-byte
// entries (kBadLength), start_bus <= end_bus, base 4 KiB aligned, the decoded range does not
// wrap past 2^64, and no two regions of one segment share a bus (kBadEntry); more than
// kMaxEcamRegions entries is kTooManyEntries.
Result<Mcfg, Error> ParseMcfg(const Table& table);

}  // namespace hiillos::acpi
