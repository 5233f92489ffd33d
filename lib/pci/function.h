// lib/pci/function.h — everything pcid records about one present PCI function, decoded from
// its configuration header through a ConfigSpace.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/pci/bar.h"
#include "lib/pci/capability.h"
#include "lib/pci/config_space.h"
#include "lib/pci/error.h"

namespace hiillos::pci {

// What enumeration did with a type 1 header's secondary bus.
enum class BridgeState : uint8_t {
  kNotBridge,
  kFollowed,        // secondary bus scanned
  kIgnoredRange,    // secondary/subordinate not inside the parent's range (or not increasing):
                    // a malformed topology or one pointing back to a lower bus
  kIgnoredVisited,  // secondary bus already scanned through another bridge
};

struct Function {
  FunctionAddress address;
  uint16_t vendor_id = 0;
  uint16_t device_id = 0;
  uint8_t class_code = 0;
  uint8_t subclass = 0;
  uint8_t prog_if = 0;
  uint8_t revision = 0;
  uint8_t header_type = 0;  // without the multi-function bit
  bool multi_function = false;
  uint8_t interrupt_pin = 0;  // 0 = none, 1..4 = INTA#..INTD# (other values: as read)
  uint8_t interrupt_line = 0;
  uint8_t bar_count = 0;
  Bar bars[kMaxBars];
  // Type 1 headers only.
  uint8_t secondary_bus = 0;
  uint8_t subordinate_bus = 0;
  BridgeState bridge = BridgeState::kNotBridge;
  CapabilityList capabilities;
  // The list above holds what was read before a malformed entry stopped the walk.
  bool capabilities_ok = true;
  Error capabilities_error = Error::kCapabilityLoop;  // meaningful only when !capabilities_ok
  // MSI or MSI-X was enabled when decoded: a driver is using the function (pcid turns them on
  // for a claim and off when it ends; firmware here never does). Its BARs are not sized (sizing
  // turns decoding off for a moment, which a live driver's MMIO would hit): `bars` stay empty.
  bool held = false;
};

// Reads vendor/device/class/header, walks the capability list and sizes the BARs (unless `held`)
// of a function known to be present (vendor != 0xFFFF). Never fails: problems are recorded in
// the result.
void DecodeFunction(ConfigSpace& config, FunctionAddress address, Function& out);

// Where the MSI-X table or PBA lies: BAR `bar` at `offset`, `size` bytes, and its physical
// address. kBadMsixBar when the BAR is not a memory BAR, kBarOutOfRange when the structure
// lies outside the BAR, kBarUnassigned when the BAR has no base.
struct MsixStructure {
  uint8_t bar = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t phys = 0;
};
Result<MsixStructure, Error> LocateMsixTable(const Function& function);
Result<MsixStructure, Error> LocateMsixPba(const Function& function);

}  // namespace hiillos::pci
