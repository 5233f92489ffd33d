// lib/pci/ecam.h — ConfigSpace over memory-mapped ECAM windows (PCIe base 6.0 §7.2.2), one per
// MCFG allocation (lib/acpi/mcfg.h).
//
// pcid maps each region's decoded range (EcamRegion::PhysStart/PhysSize) as device memory and
// hands the mappings here. Accesses outside every window read as all ones and drop writes, the
// way a master abort does, so a wrong bus number can never reach other memory.
#pragma once

#include <stdint.h>

#include "lib/acpi/mcfg.h"
#include "lib/base/result.h"
#include "lib/pci/config_space.h"
#include "lib/pci/error.h"

namespace hiillos::pci {

struct EcamWindow {
  acpi::EcamRegion region;
  // Virtual address of the region's bus start_bus (not bus 0), PhysSize() bytes long.
  volatile uint8_t* mapped = nullptr;
};

// Byte offset of (bus, device, function, offset) inside `region`'s mapping (which starts at
// start_bus). kBadAddress when the segment differs, the bus is outside start_bus..end_bus,
// device > 31, function > 7 or offset >= 4096.
Result<uint64_t, Error> EcamOffset(const acpi::EcamRegion& region, FunctionAddress address,
                                   uint16_t offset);

class EcamConfigSpace final : public ConfigSpace {
 public:
  // `windows` must outlive this object. Regions are looked up in order.
  EcamConfigSpace(const EcamWindow* windows, uint32_t window_count)
      : windows_(windows), window_count_(window_count) {}

  uint8_t Read8(FunctionAddress address, uint16_t offset) override;
  uint16_t Read16(FunctionAddress address, uint16_t offset) override;
  uint32_t Read32(FunctionAddress address, uint16_t offset) override;
  void Write8(FunctionAddress address, uint16_t offset, uint8_t value) override;
  void Write16(FunctionAddress address, uint16_t offset, uint16_t value) override;
  void Write32(FunctionAddress address, uint16_t offset, uint32_t value) override;

 private:
  // The mapped address of `width` bytes at `offset`, or nullptr when outside every window or
  // not naturally aligned.
  volatile uint8_t* Locate(FunctionAddress address, uint16_t offset, uint16_t width) const;

  const EcamWindow* windows_;
  uint32_t window_count_;
};

}  // namespace hiillos::pci
