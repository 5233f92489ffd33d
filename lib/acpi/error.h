// lib/acpi/error.h — every reason the ACPI table parsers can reject firmware data.
#pragma once

#include <stdint.h>

namespace hiillos::acpi {

enum class Error : uint8_t {
  kReadFailed,       // the PhysReader refused the range (outside memory, overflowing, unmapped)
  kOutOfBounds,      // a field read past the end of a byte view
  kBadSignature,     // "RSD PTR " / the 4-byte table signature did not match
  kBadChecksum,      // the bytes of the structure do not sum to 0 mod 256
  kBadLength,        // a length field is below the structure's minimum or inconsistent
  kTableTooLarge,    // a length field above kMaxTableLength
  kNoRootTable,      // the RSDP names neither an XSDT nor an RSDT
  kNotFound,         // FindTable: no table with that signature and index (or no MADT)
  kBadEntry,         // a MADT/MCFG entry is malformed (length, reserved value, bus range)
  kTooManyEntries,   // more entries than the fixed capacity of the summary
  kBadAddressSpace,  // a Generic Address Structure is not in the required address space
  kBadAml,           // AML bytes break their encoding (PkgLength, NameString, nesting too deep)
  kUnsupportedAml,   // well-formed AML this reader does not evaluate (lib/acpi/prt.h says what)
};

// A short, static, human-readable description ("bad checksum").
const char* ErrorString(Error error);

}  // namespace hiillos::acpi
