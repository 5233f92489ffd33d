// services/pcid/discovery.h — how pcid finds PCI Express: the ACPI tables read through device
// frames (the kernel never reclaims ACPI memory, and DeviceMemory hands out ACPI ranges), the
// MCFG's ECAM regions mapped as device memory, and every bus, function and bridge enumerated
// with lib/pci (docs/pci.md); the root bridge's _PRT decoded for INTx (lib/acpi/prt.h).
//
// Ownership: a PciSystem owns its ECAM windows (mapped for the process's life), the config-space
// accessor over them and the device table (~100 KiB: keep the PciSystem in static storage).
#pragma once

#include <stdint.h>

#include "lib/acpi/mcfg.h"
#include "lib/acpi/prt.h"
#include "lib/pci/ecam.h"
#include "lib/pci/enumerate.h"
#include "services/pcid/device_mapper.h"

namespace hiillos::pcid {

struct PciSystem {
  pci::EcamWindow windows[acpi::kMaxEcamRegions];
  uint32_t window_count = 0;
  pci::EcamConfigSpace config{windows, 0};
  pci::DeviceTable table;
  // INTx routing from the root bridge's _PRT (lib/acpi/prt.h); valid when routing_ok, else
  // routing_error says why (INTx claims then fail with kNoInterrupt).
  acpi::PciRouting routing;
  bool routing_ok = false;
  acpi::Error routing_error = acpi::Error::kNotFound;
  uint8_t root_bus = 0;  // the bus the _PRT describes: the first ECAM region's first bus
};

// Reads the ACPI tables from `rsdp_phys`, maps every ECAM region and enumerates into `out`.
// Returns nullptr on success, or a static sentence saying what failed (details are printed).
const char* DiscoverPci(DeviceMapper& mapper, uint64_t rsdp_phys, PciSystem& out);

// A short name for a class code ("mass storage", "bridge", ...).
const char* ClassName(uint8_t class_code);

}  // namespace hiillos::pcid
