// lib/virtio/error_name.cc — human-readable names of virtio::Error values.
#include "lib/virtio/error.h"

namespace hiillos::virtio {

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kBadQueueSize:
      return "bad virtqueue size";
    case Error::kMisalignedRing:
      return "virtqueue ring misaligned";
    case Error::kBadChain:
      return "bad descriptor chain";
    case Error::kQueueFull:
      return "virtqueue full";
    case Error::kBadUsedIndex:
      return "device used idx out of range";
    case Error::kBadUsedId:
      return "device used id not in flight";
    case Error::kQueueBroken:
      return "virtqueue broken by the device";
    case Error::kMissingCapability:
      return "virtio-pci structure missing";
    case Error::kBadCapability:
      return "bad virtio-pci capability";
    case Error::kResetTimeout:
      return "device reset did not complete";
    case Error::kNoVersion1:
      return "device lacks VIRTIO_F_VERSION_1";
    case Error::kFeaturesRejected:
      return "device rejected the features";
    case Error::kQueueUnavailable:
      return "virtqueue unavailable";
    case Error::kMsixVectorRejected:
      return "MSI-X vector rejected";
    case Error::kConfigUnstable:
      return "device configuration kept changing";
    case Error::kDeviceNeedsReset:
      return "device needs reset";
    case Error::kOutOfRange:
      return "sectors out of range";
    case Error::kReadOnly:
      return "device is read-only";
    case Error::kUnsupported:
      return "request unsupported by the device";
    case Error::kIoError:
      return "device I/O error";
    case Error::kDeviceProtocol:
      return "device broke the request protocol";
    case Error::kRequestTooLarge:
      return "request too large for the device";
  }
  return "unknown virtio error";
}

}  // namespace hiillos::virtio
