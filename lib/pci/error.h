// lib/pci/error.h — why a PCI operation failed (closed set; docs/pci.md lists who returns what).
#pragma once

#include <stdint.h>

namespace hiillos::pci {

enum class Error : uint8_t {
  kBadAddress,                   // device > 31, function > 7, or a bus outside every ECAM region
  kTooManyFunctions,             // more present functions than kMaxFunctions
  kCapabilityPointerOutOfRange,  // a capability pointer below 0x40 or a structure past 0xFF
  kCapabilityLoop,               // the capability list revisits an entry
  kBadMsixBar,                   // MSI-X table/PBA BAR indicator names no memory BAR
  kNoSuchBar,                    // BAR index >= the header's BAR count, or an unimplemented BAR
  kNotMemoryBar,                 // an I/O BAR where a memory BAR is needed
  kBarUnassigned,                // a memory BAR whose base is 0 (firmware assigned nothing)
  kBarOutOfRange,                // base + size wraps past 2^64, or a structure lies outside its BAR
  kVectorOutOfRange,             // vector number >= the vectors the capability provides
  kNoPerVectorMasking,           // MSI mask requested on a function without per-vector masking
  kAddressNotReachable,          // a 64-bit MSI address on a 32-bit-only MSI capability
  kMisalignedAddress,            // MSI/MSI-X message address not 4-byte aligned
};

const char* ErrorName(Error error);

}  // namespace hiillos::pci
