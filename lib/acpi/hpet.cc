// lib/acpi/hpet.cc — HPET description table decoding (IA-PC HPET specification 1.0a, Table 3).
#include "lib/acpi/hpet.h"

#include "lib/acpi/generic_address.h"

namespace hiillos::acpi {
namespace {

constexpr uint64_t kEventTimerBlockIdOffset = 36;
constexpr uint64_t kBaseAddressOffset = 40;  // a Generic Address Structure (ACPI 6.5 §5.2.3.2)
constexpr uint64_t kHpetNumberOffset = 52;
constexpr uint64_t kMinimumTickOffset = 53;
constexpr uint64_t kPageProtectionOffset = 55;

}  // namespace

Result<Hpet, Error> ParseHpet(const Table& table) {
  if (!table.Is("HPET")) return Err(Error::kBadSignature);
  const ByteView bytes = table.bytes;
  if (bytes.size() < kHpetTableSize) return Err(Error::kBadLength);

  GenericAddress base = TRY(ParseGenericAddress(bytes, kBaseAddressOffset));
  // The HPET registers are memory-mapped (HPET spec §2.3); anything else is unusable.
  if (!base.In(AddressSpace::kSystemMemory)) return Err(Error::kBadAddressSpace);
  if (base.address == 0) return Err(Error::kBadEntry);

  Hpet hpet;
  hpet.event_timer_block_id = TRY(bytes.U32(kEventTimerBlockIdOffset));
  hpet.base_address = base.address;
  hpet.hpet_number = TRY(bytes.U8(kHpetNumberOffset));
  hpet.minimum_tick = TRY(bytes.U16(kMinimumTickOffset));
  hpet.page_protection = TRY(bytes.U8(kPageProtectionOffset));
  return hpet;
}

}  // namespace hiillos::acpi
