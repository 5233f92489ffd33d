// lib/pci/capability.h — the capability list (PCI Local Bus 3.0 §6.7) walked with a bound and
// loop detection, and the MSI (§6.8.1) and MSI-X (§6.8.2) structures decoded from it.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/pci/config_space.h"
#include "lib/pci/error.h"

namespace hiillos::pci {

inline constexpr uint8_t kCapabilityIdMsi = 0x05;
inline constexpr uint8_t kCapabilityIdPciExpress = 0x10;
inline constexpr uint8_t kCapabilityIdMsix = 0x11;

// Capabilities live in dwords 0x40..0xFC of the legacy header area: at most 48 distinct ones.
inline constexpr uint8_t kFirstCapabilityOffset = 0x40;
inline constexpr uint8_t kMaxCapabilities = 48;

struct Capability {
  uint8_t id = 0;
  uint8_t offset = 0;
};

struct MsiCapability {
  bool present = false;
  uint8_t offset = 0;
  bool is_64bit = false;            // Message Address Upper register exists
  bool per_vector_masking = false;  // Mask Bits / Pending Bits registers exist
  uint8_t max_vectors_log2 = 0;     // Multiple Message Capable: 2^n vectors (n <= 5)

  uint16_t ControlOffset() const { return offset + 2; }
  uint16_t AddressOffset() const { return offset + 4; }
  uint16_t DataOffset() const { return offset + (is_64bit ? 0xC : 0x8); }
  uint16_t MaskOffset() const { return offset + (is_64bit ? 0x10 : 0xC); }
  uint16_t PendingOffset() const { return offset + (is_64bit ? 0x14 : 0x10); }
  // Bytes the structure occupies.
  uint8_t Length() const {
    return static_cast<uint8_t>((is_64bit ? 0xE : 0xA) + (per_vector_masking ? 0xA : 0));
  }
};

struct MsixCapability {
  bool present = false;
  uint8_t offset = 0;
  uint16_t table_size = 0;  // entries, 1..2048
  uint8_t table_bar = 0;    // BAR indicator (BIR), 0..5
  uint32_t table_offset = 0;
  uint8_t pba_bar = 0;
  uint32_t pba_offset = 0;

  uint16_t ControlOffset() const { return offset + 2; }
};

struct CapabilityList {
  uint8_t count = 0;
  Capability entries[kMaxCapabilities];
  MsiCapability msi;    // the first MSI capability, if any
  MsixCapability msix;  // the first MSI-X capability, if any
};

// Walks the list of `address` (when the status register says it has one) into `out`, which
// holds every entry read before an error. Errors: kCapabilityPointerOutOfRange (a pointer
// below 0x40, or an MSI/MSI-X structure that would run past 0xFF), kCapabilityLoop (an entry
// visited twice), kBadMsixBar (an MSI-X BIR above 5 or beyond `bar_count`).
Result<void, Error> ReadCapabilities(ConfigSpace& config, FunctionAddress address,
                                     uint8_t bar_count, CapabilityList& out);

}  // namespace hiillos::pci
