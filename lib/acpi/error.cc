// lib/acpi/error.cc — messages for the ACPI parser errors.
#include "lib/acpi/error.h"

namespace hiillos::acpi {

const char* ErrorString(Error error) {
  switch (error) {
    case Error::kReadFailed:
      return "physical range not readable";
    case Error::kOutOfBounds:
      return "field outside the structure";
    case Error::kBadSignature:
      return "bad signature";
    case Error::kBadChecksum:
      return "bad checksum";
    case Error::kBadLength:
      return "bad length field";
    case Error::kTableTooLarge:
      return "table length too large";
    case Error::kNoRootTable:
      return "RSDP names no XSDT or RSDT";
    case Error::kNotFound:
      return "table not found";
    case Error::kBadEntry:
      return "malformed table entry";
    case Error::kTooManyEntries:
      return "more entries than the summary holds";
    case Error::kBadAddressSpace:
      return "address in the wrong address space";
    case Error::kBadAml:
      return "malformed AML";
    case Error::kUnsupportedAml:
      return "AML construct not evaluated";
  }
  return "unknown ACPI error";
}

}  // namespace hiillos::acpi
