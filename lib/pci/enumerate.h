// lib/pci/enumerate.h — discovery of every PCI function reachable in the MCFG's ECAM regions:
// from each region's first bus (the host bridge's bus) through PCI-to-PCI bridges.
#pragma once

#include <stdint.h>

#include "lib/acpi/mcfg.h"
#include "lib/base/result.h"
#include "lib/pci/config_space.h"
#include "lib/pci/error.h"
#include "lib/pci/function.h"

namespace hiillos::pci {

// More present functions than this is kTooManyFunctions (q35 with a few devices has ~20).
inline constexpr uint32_t kMaxFunctions = 256;

// The result of enumeration. Large (~100 KiB): pcid keeps one in static storage.
struct DeviceTable {
  uint32_t count = 0;
  uint32_t buses_scanned = 0;
  Function functions[kMaxFunctions];

  // The function at `address`, or nullptr.
  const Function* Find(FunctionAddress address) const;
};

// Scans every region of `regions` (from lib/acpi's ParseMcfg): bus start_bus first, then the
// secondary bus of each type 1 header whose secondary..subordinate range lies strictly above
// its own bus and inside the range of the bridge that led to it (the region's range for the
// first bus). Each bus is scanned at most once, so the walk ends after at most 256 buses per
// region whatever the bridges say. On every bus, function 0 of each device is probed; functions
// 1..7 only when function 0's header has the multi-function bit; functions whose vendor reads
// 0xFFFF are absent. kTooManyFunctions when more than kMaxFunctions are present (`out` then
// holds the first kMaxFunctions).
Result<void, Error> Enumerate(ConfigSpace& config, const acpi::EcamRegion* regions,
                              uint32_t region_count, DeviceTable& out);

}  // namespace hiillos::pci
