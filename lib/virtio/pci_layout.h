// lib/virtio/pci_layout.h — the virtio-pci modern interface (VIRTIO 1.1 §4.1.4): capability
// types, the common configuration structure's field offsets, device status bits, feature bits.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::virtio {

// cfg_type of a virtio vendor capability (§4.1.4).
enum class PciCapType : uint8_t {
  kCommon = 1,
  kNotify = 2,
  kIsr = 3,
  kDevice = 4,
  kPciConfigAccess = 5,
  kSharedMemory = 8,  // VIRTIO 1.2
  kVendor = 9,        // VIRTIO 1.2
};

inline constexpr uint8_t kPciBarCount = 6;

// struct virtio_pci_common_cfg (§4.1.4.3), as offsets: the transport accesses it through
// RegisterAccess, never as a C++ object.
namespace common_cfg {
inline constexpr uint32_t kDeviceFeatureSelect = 0;  // le32
inline constexpr uint32_t kDeviceFeature = 4;        // le32, read-only
inline constexpr uint32_t kDriverFeatureSelect = 8;  // le32
inline constexpr uint32_t kDriverFeature = 12;       // le32
inline constexpr uint32_t kConfigMsixVector = 16;    // le16
inline constexpr uint32_t kNumQueues = 18;           // le16, read-only
inline constexpr uint32_t kDeviceStatus = 20;        // u8
inline constexpr uint32_t kConfigGeneration = 21;    // u8, read-only
inline constexpr uint32_t kQueueSelect = 22;         // le16
inline constexpr uint32_t kQueueSize = 24;           // le16
inline constexpr uint32_t kQueueMsixVector = 26;     // le16
inline constexpr uint32_t kQueueEnable = 28;         // le16
inline constexpr uint32_t kQueueNotifyOff = 30;      // le16, read-only
inline constexpr uint32_t kQueueDesc = 32;           // le64
inline constexpr uint32_t kQueueDriver = 40;         // le64
inline constexpr uint32_t kQueueDevice = 48;         // le64
inline constexpr uint32_t kSize = 56;                // VIRTIO 1.1 size (1.2 appends 4 bytes)
}  // namespace common_cfg

inline constexpr uint16_t kMsiNoVector = 0xffff;  // VIRTIO_MSI_NO_VECTOR

// Device status bits (§2.1).
inline constexpr uint8_t kStatusAcknowledge = 1;
inline constexpr uint8_t kStatusDriver = 2;
inline constexpr uint8_t kStatusDriverOk = 4;
inline constexpr uint8_t kStatusFeaturesOk = 8;
inline constexpr uint8_t kStatusDeviceNeedsReset = 64;
inline constexpr uint8_t kStatusFailed = 128;

// ISR status bits (§4.1.4.5).
inline constexpr uint8_t kIsrQueue = 1;
inline constexpr uint8_t kIsrConfig = 2;

// Reserved feature bits (§6).
inline constexpr uint64_t kFeatureIndirectDesc = 1ull << 28;  // VIRTIO_F_INDIRECT_DESC
inline constexpr uint64_t kFeatureEventIdx = 1ull << 29;      // VIRTIO_F_EVENT_IDX
inline constexpr uint64_t kFeatureVersion1 = 1ull << 32;      // VIRTIO_F_VERSION_1

}  // namespace hiillos::virtio
