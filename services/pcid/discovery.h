// services/pcid/discovery.h — how pcid finds PCI Express: the ACPI tables read through device
// frames (the kernel never reclaims ACPI memory, and DeviceMemory hands out ACPI ranges), the
// MCFG's ECAM regions mapped as device memory, and every bus, function and bridge enumerated
// with lib/pci (docs/pci.md).
//
// Ownership: a PciSystem owns its ECAM windows (mapped for the process's life), the config-space
// accessor over them and the device table (~100 KiB: keep the PciSystem in static storage).
#pragma once

#include <stdint.h>

#include "lib/acpi/mcfg.h"
#include "lib/pci/ecam.h"
#include "lib/pci/enumerate.h"
#include "services/pcid/device_mapper.h"

namespace hiillos::pcid {

struct PciSystem {
  pci::EcamWindow windows[acpi::kMaxEcamRegions];
  uint32_t window_count = 0;
  pci::EcamConfigSpace config{windows, 0};
  pci::DeviceTable table;
};

// Reads the ACPI tables from `rsdp_phys`, maps every ECAM region and enumerates into `out`.
// Returns nullptr on success, or a static sentence saying what failed (details are printed).
const char* DiscoverPci(DeviceMapper& mapper, uint64_t rsdp_phys, PciSystem& out);

// A short name for a class code ("mass storage", "bridge", ...).
const char* ClassName(uint8_t class_code);

}  // namespace hiillos::pcid
