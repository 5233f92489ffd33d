// services/pcid/intx.cc — a function's INTx route: bridge path up to the root bus, then the _PRT.
#include "services/pcid/intx.h"

namespace hiillos::pcid {
namespace {

// The bridge (type 1 header) in the function's segment whose secondary bus is `bus`.
const pci::Function* BridgeTo(const pci::DeviceTable& table, uint16_t segment, uint8_t bus) {
  for (uint32_t i = 0; i < table.count; ++i) {
    const pci::Function& f = table.functions[i];
    if (f.address.segment == segment && f.header_type == 1 && f.secondary_bus == bus &&
        f.address.bus < bus) {
      return &f;
    }
  }
  return nullptr;
}

}  // namespace

const char* IntxErrorName(IntxError error) {
  switch (error) {
    case IntxError::kNoPin:
      return "no INTx pin";
    case IntxError::kNoRouting:
      return "no bridge path to the root bus";
    case IntxError::kNotInTable:
      return "no _PRT entry";
  }
  return "unknown INTx error";
}

Result<acpi::PciIntxRoute, IntxError> RouteIntx(const pci::DeviceTable& table,
                                                const acpi::PciRouting& routing, uint8_t root_bus,
                                                const pci::Function& function) {
  if (function.interrupt_pin == 0 || function.interrupt_pin > 4) return Err(IntxError::kNoPin);
  // Device numbers from the function up to the root bus (at most one hop per bus; each hop
  // goes to a lower bus number, so this ends).
  uint8_t reversed[256];
  uint32_t depth = 0;
  reversed[depth++] = function.address.device;
  uint8_t bus = function.address.bus;
  while (bus != root_bus) {
    const pci::Function* bridge = BridgeTo(table, function.address.segment, bus);
    if (bridge == nullptr || depth == sizeof(reversed)) return Err(IntxError::kNoRouting);
    reversed[depth++] = bridge->address.device;
    bus = bridge->address.bus;
  }
  uint8_t path[256];
  for (uint32_t i = 0; i < depth; ++i) path[i] = reversed[depth - 1 - i];
  auto route = acpi::RoutePciInterrupt(routing, path, depth,
                                       static_cast<uint8_t>(function.interrupt_pin - 1));
  if (!route.ok()) return Err(IntxError::kNotInTable);
  return route.value();
}

}  // namespace hiillos::pcid
