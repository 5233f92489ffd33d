// lib/virtio/pci_transport.cc — the virtio-pci modern transport's register sequences.
#include "lib/virtio/pci_transport.h"

#include "lib/base/checked.h"

namespace hiillos::virtio {
namespace {

// How many times Reset reads device_status back before giving up (a device completes a reset
// well within this; the loop only guards against one that never does).
constexpr uint32_t kResetPolls = 100000;
constexpr uint32_t kConfigGenerationRetries = 16;

}  // namespace

// The common structure is at least common_cfg::kSize bytes (checked when it was located), so
// every fixed field offset below is inside it.
uint8_t PciTransport::CommonRead8(uint32_t field) {
  return registers_.Read8(structures_.common.bar, structures_.common.offset + field);
}
uint16_t PciTransport::CommonRead16(uint32_t field) {
  return registers_.Read16(structures_.common.bar, structures_.common.offset + field);
}
uint32_t PciTransport::CommonRead32(uint32_t field) {
  return registers_.Read32(structures_.common.bar, structures_.common.offset + field);
}
void PciTransport::CommonWrite8(uint32_t field, uint8_t value) {
  registers_.Write8(structures_.common.bar, structures_.common.offset + field, value);
}
void PciTransport::CommonWrite16(uint32_t field, uint16_t value) {
  registers_.Write16(structures_.common.bar, structures_.common.offset + field, value);
}
void PciTransport::CommonWrite32(uint32_t field, uint32_t value) {
  registers_.Write32(structures_.common.bar, structures_.common.offset + field, value);
}
// §4.1.3.1: 64-bit fields are written as two 32-bit halves, low first.
void PciTransport::CommonWrite64(uint32_t field, uint64_t value) {
  CommonWrite32(field, static_cast<uint32_t>(value));
  CommonWrite32(field + 4, static_cast<uint32_t>(value >> 32));
}

uint8_t PciTransport::Status() {
  return CommonRead8(common_cfg::kDeviceStatus);
}

void PciTransport::AddStatus(uint8_t bits) {
  CommonWrite8(common_cfg::kDeviceStatus, static_cast<uint8_t>(Status() | bits));
}

void PciTransport::Fail() {
  AddStatus(kStatusFailed);
}

Result<uint64_t, Error> PciTransport::FailWith(Error error) {
  Fail();
  return Err(error);
}

Result<void, Error> PciTransport::Reset() {
  CommonWrite8(common_cfg::kDeviceStatus, 0);
  // §4.1.4.3.2: the driver waits for device_status to read 0 before re-initialising.
  for (uint32_t i = 0; i < kResetPolls; ++i) {
    if (Status() == 0) return Ok<Error>();
  }
  return Err(Error::kResetTimeout);
}

Result<uint64_t, Error> PciTransport::Negotiate(uint64_t wanted) {
  if (!Reset().ok()) return FailWith(Error::kResetTimeout);
  AddStatus(kStatusAcknowledge);
  AddStatus(kStatusDriver);

  uint64_t offered = 0;
  for (uint32_t word = 0; word < 2; ++word) {
    CommonWrite32(common_cfg::kDeviceFeatureSelect, word);
    offered |= static_cast<uint64_t>(CommonRead32(common_cfg::kDeviceFeature)) << (32 * word);
  }
  if ((offered & kFeatureVersion1) == 0) return FailWith(Error::kNoVersion1);
  const uint64_t negotiated = (wanted | kFeatureVersion1) & offered;
  for (uint32_t word = 0; word < 2; ++word) {
    CommonWrite32(common_cfg::kDriverFeatureSelect, word);
    CommonWrite32(common_cfg::kDriverFeature, static_cast<uint32_t>(negotiated >> (32 * word)));
  }
  AddStatus(kStatusFeaturesOk);
  if ((Status() & kStatusFeaturesOk) == 0) return FailWith(Error::kFeaturesRejected);
  return negotiated;
}

uint16_t PciTransport::QueueCount() {
  return CommonRead16(common_cfg::kNumQueues);
}

Result<QueueInfo, Error> PciTransport::SetUpQueue(uint16_t index, uint16_t max_size,
                                                  const QueueAddresses& addresses,
                                                  uint16_t msix_vector) {
  if (index >= QueueCount()) return Err(Error::kQueueUnavailable);
  CommonWrite16(common_cfg::kQueueSelect, index);
  const uint16_t device_size = CommonRead16(common_cfg::kQueueSize);
  if (device_size == 0) return Err(Error::kQueueUnavailable);
  uint16_t size = device_size < max_size ? device_size : max_size;
  while (size != 0 && !IsPowerOfTwo(size)) size = static_cast<uint16_t>(size & (size - 1));
  if (size == 0) return Err(Error::kBadQueueSize);

  // The doorbell: cap.offset + queue_notify_off * notify_off_multiplier (§4.1.4.4), 2 bytes.
  const uint64_t notify_off = CommonRead16(common_cfg::kQueueNotifyOff);
  const uint64_t relative = notify_off * structures_.notify_off_multiplier;
  if (!RangeInside(relative, sizeof(uint16_t), structures_.notify.length)) {
    return Err(Error::kBadCapability);
  }

  CommonWrite16(common_cfg::kQueueSize, size);
  CommonWrite64(common_cfg::kQueueDesc, addresses.descriptors);
  CommonWrite64(common_cfg::kQueueDriver, addresses.driver);
  CommonWrite64(common_cfg::kQueueDevice, addresses.device);
  CommonWrite16(common_cfg::kQueueMsixVector, msix_vector);
  if (msix_vector != kMsiNoVector && CommonRead16(common_cfg::kQueueMsixVector) != msix_vector) {
    return Err(Error::kMsixVectorRejected);
  }
  CommonWrite16(common_cfg::kQueueEnable, 1);
  return QueueInfo{index, size, structures_.notify.offset + relative};
}

Result<void, Error> PciTransport::SetConfigMsixVector(uint16_t vector) {
  CommonWrite16(common_cfg::kConfigMsixVector, vector);
  if (vector != kMsiNoVector && CommonRead16(common_cfg::kConfigMsixVector) != vector) {
    return Err(Error::kMsixVectorRejected);
  }
  return Ok<Error>();
}

Result<void, Error> PciTransport::DriverOk() {
  if ((Status() & kStatusDeviceNeedsReset) != 0) {
    Fail();
    return Err(Error::kDeviceNeedsReset);
  }
  AddStatus(kStatusDriverOk);
  return Ok<Error>();
}

void PciTransport::Notify(const QueueInfo& queue) {
  registers_.Write16(structures_.notify.bar, queue.notify_offset, queue.index);
}

uint8_t PciTransport::ReadIsr() {
  return registers_.Read8(structures_.isr.bar, structures_.isr.offset);
}

Result<uint64_t, Error> PciTransport::ReadDeviceConfig(uint32_t offset, uint32_t size) {
  if ((size != 1 && size != 2 && size != 4 && size != 8) ||
      !RangeInside(offset, size, structures_.device.length)) {
    return Err(Error::kBadCapability);
  }
  const uint8_t bar = structures_.device.bar;
  const uint64_t base = structures_.device.offset + offset;
  for (uint32_t attempt = 0; attempt < kConfigGenerationRetries; ++attempt) {
    const uint8_t before = CommonRead8(common_cfg::kConfigGeneration);
    uint64_t value = 0;
    switch (size) {
      case 1:
        value = registers_.Read8(bar, base);
        break;
      case 2:
        value = registers_.Read16(bar, base);
        break;
      case 4:
        value = registers_.Read32(bar, base);
        break;
      default:
        value = registers_.Read32(bar, base) |
                static_cast<uint64_t>(registers_.Read32(bar, base + 4)) << 32;
        break;
    }
    if (CommonRead8(common_cfg::kConfigGeneration) == before) return value;
  }
  return Err(Error::kConfigUnstable);
}

}  // namespace hiillos::virtio
