// lib/virtio/register_access.h — what the virtio-pci transport needs from the platform: loads
// and stores of 8/16/32-bit little-endian registers at an offset inside one of the six BARs.
//
// The driver process implements it over the BAR frames pcid hands it (volatile MMIO accesses);
// host tests implement it with a simulated device. The transport checks every offset against
// the structure it belongs to before calling, so an implementation sees only in-range accesses.
#pragma once

#include <stdint.h>

namespace hiillos::virtio {

class RegisterAccess {
 public:
  virtual uint8_t Read8(uint8_t bar, uint64_t offset) = 0;
  virtual uint16_t Read16(uint8_t bar, uint64_t offset) = 0;
  virtual uint32_t Read32(uint8_t bar, uint64_t offset) = 0;
  virtual void Write8(uint8_t bar, uint64_t offset, uint8_t value) = 0;
  virtual void Write16(uint8_t bar, uint64_t offset, uint16_t value) = 0;
  virtual void Write32(uint8_t bar, uint64_t offset, uint32_t value) = 0;

 protected:
  ~RegisterAccess() = default;
};

}  // namespace hiillos::virtio
