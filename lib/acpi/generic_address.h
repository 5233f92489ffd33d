// lib/acpi/generic_address.h — the Generic Address Structure (ACPI 6.5 §5.2.3.2).
#pragma once

#include <stdint.h>

#include "lib/acpi/byte_view.h"
#include "lib/acpi/error.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

// ACPI 6.5 Table 5.1: Address Space ID values we care about (others are kept as raw numbers).
enum class AddressSpace : uint8_t {
  kSystemMemory = 0,
  kSystemIo = 1,
  kPciConfig = 2,
};

inline constexpr uint64_t kGenericAddressSize = 12;

struct GenericAddress {
  uint8_t space_id = 0;  // an AddressSpace value, or another ACPI-defined id
  uint8_t bit_width = 0;
  uint8_t bit_offset = 0;
  uint8_t access_size = 0;  // 0 undefined, 1 byte, 2 word, 3 dword, 4 qword
  uint64_t address = 0;

  bool In(AddressSpace space) const { return space_id == static_cast<uint8_t>(space); }
};

// Decodes the 12-byte structure at `offset` in `bytes` (kOutOfBounds when it does not fit).
inline Result<GenericAddress, Error> ParseGenericAddress(ByteView bytes, uint64_t offset) {
  ByteView gas = TRY(bytes.Sub(offset, kGenericAddressSize));
  GenericAddress out;
  out.space_id = TRY(gas.U8(0));
  out.bit_width = TRY(gas.U8(1));
  out.bit_offset = TRY(gas.U8(2));
  out.access_size = TRY(gas.U8(3));
  out.address = TRY(gas.U64(4));
  return out;
}

}  // namespace hiillos::acpi
