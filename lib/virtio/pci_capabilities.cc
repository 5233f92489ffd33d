// lib/virtio/pci_capabilities.cc — choosing the virtio-pci configuration structures.
#include "lib/virtio/pci_capabilities.h"

#include "lib/base/checked.h"

namespace hiillos::virtio {
namespace {

// The smallest length each structure may have (§4.1.4.3-4.1.4.6).
uint64_t MinimumLength(PciCapType type) {
  switch (type) {
    case PciCapType::kCommon:
      return common_cfg::kSize;
    case PciCapType::kNotify:
      return sizeof(uint16_t);
    case PciCapType::kIsr:
      return 1;
    default:
      return 1;
  }
}

bool Usable(const PciCapability& cap, PciCapType type, const uint64_t (&bar_sizes)[kPciBarCount]) {
  if (cap.cfg_type != static_cast<uint8_t>(type) || cap.bar >= kPciBarCount) return false;
  return cap.length >= MinimumLength(type) &&
         RangeInside(cap.offset, cap.length, bar_sizes[cap.bar]);
}

const PciCapability* First(const PciCapability* caps, size_t count, PciCapType type,
                           const uint64_t (&bar_sizes)[kPciBarCount]) {
  for (size_t i = 0; i < count; ++i) {
    if (Usable(caps[i], type, bar_sizes)) return &caps[i];
  }
  return nullptr;
}

PciRegion RegionOf(const PciCapability& cap) {
  return PciRegion{cap.bar, cap.offset, cap.length};
}

}  // namespace

Result<PciStructures, Error> LocatePciStructures(const PciCapability* capabilities, size_t count,
                                                 const uint64_t (&bar_sizes)[kPciBarCount]) {
  const PciCapability* common = First(capabilities, count, PciCapType::kCommon, bar_sizes);
  const PciCapability* notify = First(capabilities, count, PciCapType::kNotify, bar_sizes);
  const PciCapability* isr = First(capabilities, count, PciCapType::kIsr, bar_sizes);
  const PciCapability* device = First(capabilities, count, PciCapType::kDevice, bar_sizes);
  if (common == nullptr || notify == nullptr || isr == nullptr) {
    return Err(Error::kMissingCapability);
  }
  const uint32_t multiplier = notify->notify_off_multiplier;
  if (multiplier != 0 && !IsPowerOfTwo(multiplier)) return Err(Error::kBadCapability);
  PciStructures structures{};
  structures.common = RegionOf(*common);
  structures.notify = RegionOf(*notify);
  structures.notify_off_multiplier = multiplier;
  structures.isr = RegionOf(*isr);
  if (device != nullptr) structures.device = RegionOf(*device);
  return structures;
}

}  // namespace hiillos::virtio
