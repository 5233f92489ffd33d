// services/pcid/intx.h — where a PCI function's INTx pin arrives: the path of bridges from the
// root bus down to the function (from lib/pci's device table), then lib/acpi's _PRT routing with
// the bridge swizzle (RoutePciInterrupt). Host-tested (intx_test.cc).
#pragma once

#include <stdint.h>

#include "lib/acpi/prt.h"
#include "lib/base/result.h"
#include "lib/pci/enumerate.h"

namespace hiillos::pcid {

enum class IntxError : uint8_t {
  kNoPin,       // the function's interrupt pin register is 0 (no INTx) or above 4
  kNoRouting,   // the bus is not reachable from the root bus through listed bridges
  kNotInTable,  // the _PRT has no entry for the root-bus device and pin
};

const char* IntxErrorName(IntxError error);

// The route of `function`'s INTx pin. `root_bus` is the bus the _PRT describes (the ECAM
// region's first bus). Errors: kNoPin, kNoRouting, kNotInTable.
Result<acpi::PciIntxRoute, IntxError> RouteIntx(const pci::DeviceTable& table,
                                                const acpi::PciRouting& routing, uint8_t root_bus,
                                                const pci::Function& function);

}  // namespace hiillos::pcid
