// bootloader/physical_view.h — bounded access to physical memory for parsers of firmware-made
// structures (multiboot information, the legacy RSDP areas). The loaders run identity mapped
// (address = physical); host tests back the view with a buffer that stands for physical 0.
#pragma once

#include <stdint.h>

namespace hiillos::loader {

class PhysicalView {
 public:
  // Physical [0, size) is readable at host address `base` + physical.
  PhysicalView(uint64_t base, uint64_t size) : base_(base), size_(size) {}

  // The bytes [phys, phys + length), or nullptr when any of them is outside the view.
  const uint8_t* Bytes(uint64_t phys, uint64_t length) const {
    if (phys > size_ || length > size_ - phys) return nullptr;
    return reinterpret_cast<const uint8_t*>(base_ + phys);
  }
  uint64_t size() const { return size_; }

 private:
  uint64_t base_;
  uint64_t size_;
};

// Little-endian loads from bytes a PhysicalView vouched for.
inline uint16_t Load16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
inline uint32_t Load32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}
inline uint64_t Load64(const uint8_t* p) {
  return Load32(p) | static_cast<uint64_t>(Load32(p + 4)) << 32;
}

}  // namespace hiillos::loader
