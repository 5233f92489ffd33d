// lib/virtio/blk_config.cc — reading virtio-blk device configuration.
#include "lib/virtio/blk_config.h"

namespace hiillos::virtio {

Result<BlockConfig, Error> ReadBlockConfig(PciTransport& transport, uint64_t negotiated) {
  BlockConfig config{};
  config.capacity_sectors = TRY(transport.ReadDeviceConfig(blk_config::kCapacity, 8));
  config.block_size = kBlkSectorSize;
  if ((negotiated & kBlkFeatureSizeMax) != 0) {
    config.size_max =
        static_cast<uint32_t>(TRY(transport.ReadDeviceConfig(blk_config::kSizeMax, 4)));
  }
  if ((negotiated & kBlkFeatureSegMax) != 0) {
    config.seg_max = static_cast<uint32_t>(TRY(transport.ReadDeviceConfig(blk_config::kSegMax, 4)));
  }
  if ((negotiated & kBlkFeatureBlockSize) != 0) {
    config.block_size =
        static_cast<uint32_t>(TRY(transport.ReadDeviceConfig(blk_config::kBlockSize, 4)));
  }
  config.read_only = (negotiated & kBlkFeatureReadOnly) != 0;
  config.flush = (negotiated & kBlkFeatureFlush) != 0;
  return config;
}

}  // namespace hiillos::virtio
