// lib/virtio/blk_config.h — what the virtio-blk driver asks for and learns from the device:
// the features it negotiates and the capacity and limits it reads from device configuration.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/virtio/blk_layout.h"
#include "lib/virtio/error.h"
#include "lib/virtio/pci_layout.h"
#include "lib/virtio/pci_transport.h"

namespace hiillos::virtio {

// The features the block driver uses when the device offers them.
inline constexpr uint64_t kBlkWantedFeatures =
    kFeatureVersion1 | kFeatureEventIdx | kBlkFeatureSizeMax | kBlkFeatureSegMax |
    kBlkFeatureReadOnly | kBlkFeatureBlockSize | kBlkFeatureFlush;

struct BlockConfig {
  uint64_t capacity_sectors;  // 512-byte sectors
  uint32_t block_size;        // the device's preferred block size (512 when not offered)
  uint32_t seg_max;           // data segments per request; 0 = no limit beyond the queue
  uint32_t size_max;          // bytes per data segment; 0 = no limit
  bool read_only;
  bool flush;
};

// Reads capacity and, for the features that were negotiated, size_max, seg_max and blk_size.
// Errors: those of PciTransport::ReadDeviceConfig.
[[nodiscard]] Result<BlockConfig, Error> ReadBlockConfig(PciTransport& transport,
                                                         uint64_t negotiated);

}  // namespace hiillos::virtio
