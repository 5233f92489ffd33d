// lib/virtio/pci_capabilities.h — picks the common, notify, ISR and device configuration
// structures from a device's virtio vendor capabilities (VIRTIO 1.1 §4.1.4), already parsed
// from PCI configuration space by the caller (pcid), and checks each against its BAR.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/virtio/error.h"
#include "lib/virtio/pci_layout.h"

namespace hiillos::virtio {

// One struct virtio_pci_cap (and, for the notify type, its notify_off_multiplier).
struct PciCapability {
  uint8_t cfg_type;  // a PciCapType value (unknown values are skipped)
  uint8_t bar;
  uint32_t offset;  // inside the BAR
  uint32_t length;
  uint32_t notify_off_multiplier;  // kNotify only
};

// A structure's place: `length` bytes at `offset` in BAR `bar`.
struct PciRegion {
  uint8_t bar;
  uint64_t offset;
  uint64_t length;
};

struct PciStructures {
  PciRegion common;
  PciRegion notify;
  uint32_t notify_off_multiplier;
  PciRegion isr;
  PciRegion device;  // length 0 when the device has no device-specific configuration
};

// bar_sizes[i] is the size of BAR i (0 when absent). The first usable capability of each type
// wins (§4.1.4.1: the driver uses the first instance it can); capabilities naming an absent BAR,
// reaching outside it, or shorter than their structure are skipped. Errors: kMissingCapability
// (no usable common, notify or ISR structure), kBadCapability (the chosen notify structure's
// multiplier is not 0 or a power of two).
[[nodiscard]] Result<PciStructures, Error> LocatePciStructures(
    const PciCapability* capabilities, size_t count, const uint64_t (&bar_sizes)[kPciBarCount]);

}  // namespace hiillos::virtio
