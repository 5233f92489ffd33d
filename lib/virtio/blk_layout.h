// lib/virtio/blk_layout.h — the virtio-blk device's ABI (VIRTIO 1.1 §5.2): feature bits,
// configuration field offsets, the request header, request types and status values.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::virtio {

// Feature bits (§5.2.3).
inline constexpr uint64_t kBlkFeatureSizeMax = 1ull << 1;    // VIRTIO_BLK_F_SIZE_MAX
inline constexpr uint64_t kBlkFeatureSegMax = 1ull << 2;     // VIRTIO_BLK_F_SEG_MAX
inline constexpr uint64_t kBlkFeatureReadOnly = 1ull << 5;   // VIRTIO_BLK_F_RO
inline constexpr uint64_t kBlkFeatureBlockSize = 1ull << 6;  // VIRTIO_BLK_F_BLK_SIZE
inline constexpr uint64_t kBlkFeatureFlush = 1ull << 9;      // VIRTIO_BLK_F_FLUSH

// struct virtio_blk_config (§5.2.4), as offsets into the device-specific structure.
namespace blk_config {
inline constexpr uint32_t kCapacity = 0;    // le64, in 512-byte sectors
inline constexpr uint32_t kSizeMax = 8;     // le32, with VIRTIO_BLK_F_SIZE_MAX
inline constexpr uint32_t kSegMax = 12;     // le32, with VIRTIO_BLK_F_SEG_MAX
inline constexpr uint32_t kBlockSize = 20;  // le32, with VIRTIO_BLK_F_BLK_SIZE
}  // namespace blk_config

// Sectors are always 512 bytes in requests, whatever blk_size says (§5.2.6).
inline constexpr uint32_t kBlkSectorSize = 512;
inline constexpr uint32_t kBlkIdBytes = 20;  // VIRTIO_BLK_ID_BYTES

// struct virtio_blk_req's device-readable header (§5.2.6).
struct BlkRequestHeader {
  uint32_t type;
  uint32_t reserved;
  uint64_t sector;
};
static_assert(sizeof(BlkRequestHeader) == 16);
static_assert(offsetof(BlkRequestHeader, type) == 0);
static_assert(offsetof(BlkRequestHeader, sector) == 8);

enum class BlkRequestType : uint32_t {
  kIn = 0,     // VIRTIO_BLK_T_IN: read
  kOut = 1,    // VIRTIO_BLK_T_OUT: write
  kFlush = 4,  // VIRTIO_BLK_T_FLUSH
  kGetId = 8,  // VIRTIO_BLK_T_GET_ID: 20-byte device id string
};

// The status byte the device writes last (§5.2.6).
inline constexpr uint8_t kBlkStatusOk = 0;
inline constexpr uint8_t kBlkStatusIoError = 1;
inline constexpr uint8_t kBlkStatusUnsupported = 2;

}  // namespace hiillos::virtio
