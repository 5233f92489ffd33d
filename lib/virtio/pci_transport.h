// lib/virtio/pci_transport.h — the virtio-pci modern transport (VIRTIO 1.1 §4.1): device reset,
// the initialisation sequence (§3.1.1) with feature negotiation, queue set-up, DRIVER_OK, the
// FAILED path, queue notifications, ISR reads, MSI-X vectors and device configuration reads.
//
// Owned by the driver for the device's lifetime; it holds a reference to the RegisterAccess,
// which must outlive it. Every register access is checked against its structure first.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/virtio/error.h"
#include "lib/virtio/pci_capabilities.h"
#include "lib/virtio/register_access.h"

namespace hiillos::virtio {

// What the transport needs to program one queue.
struct QueueAddresses {
  uint64_t descriptors;  // queue_desc
  uint64_t driver;       // queue_driver (available ring)
  uint64_t device;       // queue_device (used ring)
};

// A queue the device accepted: its size and where its doorbell is.
struct QueueInfo {
  uint16_t index;
  uint16_t size;
  uint64_t notify_offset;  // inside the notify structure's BAR
};

class PciTransport {
 public:
  PciTransport(RegisterAccess& registers, const PciStructures& structures)
      : registers_(registers), structures_(structures) {}

  // Writes 0 to device_status and waits (bounded) until it reads 0. Error: kResetTimeout.
  [[nodiscard]] Result<void, Error> Reset();

  // §3.1.1 steps 1-6: reset, ACKNOWLEDGE, DRIVER, read the device's features, write
  // `wanted & offered`, set FEATURES_OK and read it back. VIRTIO_F_VERSION_1 is always required.
  // Returns the negotiated features. On any error the device is left FAILED. Errors:
  // kResetTimeout, kNoVersion1, kFeaturesRejected.
  [[nodiscard]] Result<uint64_t, Error> Negotiate(uint64_t wanted);

  uint16_t QueueCount();

  // §4.1.5.1.3: programs queue `index` with at most `max_size` entries (rounded down to a power
  // of two, as split queues need) at `addresses`, with MSI-X vector `msix_vector`
  // (kMsiNoVector for none), and enables it. Errors: kQueueUnavailable, kBadQueueSize,
  // kMsixVectorRejected, kBadCapability (the doorbell lies outside the notify structure).
  [[nodiscard]] Result<QueueInfo, Error> SetUpQueue(uint16_t index, uint16_t max_size,
                                                    const QueueAddresses& addresses,
                                                    uint16_t msix_vector);

  // config_msix_vector, read back. Error: kMsixVectorRejected.
  [[nodiscard]] Result<void, Error> SetConfigMsixVector(uint16_t vector);

  // Sets DRIVER_OK. Error: kDeviceNeedsReset when the device already asks for a reset.
  [[nodiscard]] Result<void, Error> DriverOk();

  // Sets FAILED (the driver gave up on the device).
  void Fail();

  // Writes the queue's index to its doorbell.
  void Notify(const QueueInfo& queue);

  // Reads (and thereby clears) the ISR status: kIsrQueue / kIsrConfig bits.
  uint8_t ReadIsr();

  uint8_t Status();

  // Reads `size` bytes (1, 2, 4 or 8; little-endian) of device configuration at `offset`,
  // retrying while config_generation changes (§4.1.4.3.1). Errors: kBadCapability (outside
  // the device structure or bad size), kConfigUnstable.
  [[nodiscard]] Result<uint64_t, Error> ReadDeviceConfig(uint32_t offset, uint32_t size);

 private:
  uint8_t CommonRead8(uint32_t field);
  uint16_t CommonRead16(uint32_t field);
  uint32_t CommonRead32(uint32_t field);
  void CommonWrite8(uint32_t field, uint8_t value);
  void CommonWrite16(uint32_t field, uint16_t value);
  void CommonWrite32(uint32_t field, uint32_t value);
  void CommonWrite64(uint32_t field, uint64_t value);
  void AddStatus(uint8_t bits);
  Result<uint64_t, Error> FailWith(Error error);

  RegisterAccess& registers_;
  PciStructures structures_;
};

}  // namespace hiillos::virtio
