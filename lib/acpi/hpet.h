// lib/acpi/hpet.h — the HPET description table ("HPET"; IA-PC HPET specification 1.0a §3.2.4,
// listed in ACPI 6.5 §5.2.6 Table 5.6).
#pragma once

#include <stdint.h>

#include "lib/acpi/error.h"
#include "lib/acpi/sdt.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

inline constexpr uint64_t kHpetTableSize = 56;

struct Hpet {
  // A copy of the hardware's General Capabilities register bits 0-31 (HPET spec §2.3.4).
  uint32_t event_timer_block_id = 0;
  uint64_t base_address = 0;  // physical; always system memory (checked)
  uint8_t hpet_number = 0;    // sequence number of this timer block
  uint16_t minimum_tick = 0;  // minimum periodic tick, in main counter ticks
  uint8_t page_protection = 0;

  uint8_t HardwareRevision() const { return event_timer_block_id & 0xff; }
  uint32_t ComparatorCount() const { return ((event_timer_block_id >> 8) & 0x1f) + 1; }
  bool Counter64Bit() const { return (event_timer_block_id >> 13) & 1; }
  bool LegacyReplacementCapable() const { return (event_timer_block_id >> 15) & 1; }
  uint16_t PciVendorId() const { return static_cast<uint16_t>(event_timer_block_id >> 16); }
};

// Decodes a validated "HPET" table. Errors: kBadSignature, kBadLength (shorter than 56 bytes),
// kBadAddressSpace (base address not in system memory), kBadEntry (base address 0).
Result<Hpet, Error> ParseHpet(const Table& table);

}  // namespace hiillos::acpi
