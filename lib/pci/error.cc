// lib/pci/error.cc — human-readable names of pci::Error values.
#include "lib/pci/error.h"

namespace hiillos::pci {

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kBadAddress:
      return "no such configuration-space address";
    case Error::kTooManyFunctions:
      return "too many PCI functions";
    case Error::kCapabilityPointerOutOfRange:
      return "capability pointer out of range";
    case Error::kCapabilityLoop:
      return "capability list loops";
    case Error::kBadMsixBar:
      return "MSI-X structure in a missing or non-memory BAR";
    case Error::kNoSuchBar:
      return "no such BAR";
    case Error::kNotMemoryBar:
      return "not a memory BAR";
    case Error::kBarUnassigned:
      return "BAR not assigned";
    case Error::kBarOutOfRange:
      return "BAR range out of bounds";
    case Error::kVectorOutOfRange:
      return "interrupt vector out of range";
    case Error::kNoPerVectorMasking:
      return "no per-vector masking";
    case Error::kAddressNotReachable:
      return "MSI address needs 64 bits";
    case Error::kMisalignedAddress:
      return "MSI address not dword aligned";
  }
  return "unknown PCI error";
}

}  // namespace hiillos::pci
