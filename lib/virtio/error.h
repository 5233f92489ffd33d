// lib/virtio/error.h — the closed list of errors the virtio queue, transport and blk logic return.
#pragma once

#include <stdint.h>

namespace hiillos::virtio {

enum class Error : uint8_t {
  // Split virtqueue set-up and use.
  kBadQueueSize,    // not a power of two, zero, or above kMaxQueueSize
  kMisalignedRing,  // a ring's address is not aligned as the spec requires
  kBadChain,        // empty chain, zero-length buffer or more buffers than the queue has
  kQueueFull,       // not enough free descriptors (or request slots) right now
  kBadUsedIndex,    // the device's used idx claims more completions than are in flight
  kBadUsedId,       // a used element names a descriptor that is not the head of a chain in flight
  kQueueBroken,     // the device broke the queue protocol earlier; reset the device
  // PCI transport.
  kMissingCapability,   // no usable common, notify or ISR configuration structure
  kBadCapability,       // a structure outside its BAR, too short, or a bad notify multiplier
  kResetTimeout,        // device_status did not read back 0 after a reset
  kNoVersion1,          // the device does not offer VIRTIO_F_VERSION_1
  kFeaturesRejected,    // FEATURES_OK did not stay set
  kQueueUnavailable,    // queue index beyond num_queues, or its size reads 0
  kMsixVectorRejected,  // the device answered VIRTIO_MSI_NO_VECTOR to a vector
  kConfigUnstable,      // config_generation kept changing while the config was read
  kDeviceNeedsReset,    // the device set DEVICE_NEEDS_RESET
  // virtio-blk.
  kOutOfRange,       // sectors beyond capacity, or an unaligned byte count
  kReadOnly,         // a write to a device that offered VIRTIO_BLK_F_RO
  kUnsupported,      // the device answered VIRTIO_BLK_S_UNSUPP (or lacks the feature)
  kIoError,          // the device answered VIRTIO_BLK_S_IOERR
  kDeviceProtocol,   // bad status byte, or a used length larger than the request's buffers
  kRequestTooLarge,  // more segments than seg_max allows or than the queue can hold
};

// A short human-readable description, for logs and tests.
const char* ErrorName(Error error);

}  // namespace hiillos::virtio
