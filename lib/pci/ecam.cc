// lib/pci/ecam.cc — ECAM address arithmetic and the memory-mapped ConfigSpace.
#include "lib/pci/ecam.h"

namespace hiillos::pci {

Result<uint64_t, Error> EcamOffset(const acpi::EcamRegion& region, FunctionAddress address,
                                   uint16_t offset) {
  if (address.segment != region.segment || address.bus < region.start_bus ||
      address.bus > region.end_bus || address.device >= kDevicesPerBus ||
      address.function >= kFunctionsPerDevice || offset >= kConfigSpaceSize) {
    return Err(Error::kBadAddress);
  }
  return (uint64_t{address.bus} - region.start_bus) * acpi::kEcamBusSize +
         (uint64_t{address.device} << 15) + (uint64_t{address.function} << 12) + offset;
}

volatile uint8_t* EcamConfigSpace::Locate(FunctionAddress address, uint16_t offset,
                                          uint16_t width) const {
  if (offset % width != 0 || offset + width > kConfigSpaceSize) return nullptr;
  for (uint32_t i = 0; i < window_count_; ++i) {
    if (windows_[i].mapped == nullptr) continue;
    auto located = EcamOffset(windows_[i].region, address, offset);
    if (located.ok()) return windows_[i].mapped + located.value();
  }
  return nullptr;
}

uint8_t EcamConfigSpace::Read8(FunctionAddress address, uint16_t offset) {
  volatile uint8_t* p = Locate(address, offset, 1);
  return p == nullptr ? 0xFF : *p;
}

uint16_t EcamConfigSpace::Read16(FunctionAddress address, uint16_t offset) {
  volatile uint8_t* p = Locate(address, offset, 2);
  return p == nullptr ? 0xFFFF : *reinterpret_cast<volatile uint16_t*>(p);
}

uint32_t EcamConfigSpace::Read32(FunctionAddress address, uint16_t offset) {
  volatile uint8_t* p = Locate(address, offset, 4);
  return p == nullptr ? 0xFFFFFFFF : *reinterpret_cast<volatile uint32_t*>(p);
}

void EcamConfigSpace::Write8(FunctionAddress address, uint16_t offset, uint8_t value) {
  volatile uint8_t* p = Locate(address, offset, 1);
  if (p != nullptr) *p = value;
}

void EcamConfigSpace::Write16(FunctionAddress address, uint16_t offset, uint16_t value) {
  volatile uint8_t* p = Locate(address, offset, 2);
  if (p != nullptr) *reinterpret_cast<volatile uint16_t*>(p) = value;
}

void EcamConfigSpace::Write32(FunctionAddress address, uint16_t offset, uint32_t value) {
  volatile uint8_t* p = Locate(address, offset, 4);
  if (p != nullptr) *reinterpret_cast<volatile uint32_t*>(p) = value;
}

}  // namespace hiillos::pci
