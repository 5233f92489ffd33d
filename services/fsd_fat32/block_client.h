// services/fsd_fat32/block_client.h — lib/fat32's BlockDevice over the block protocol
// (services/block/protocol.h): one session, one shared buffer; requests larger than the buffer
// or the driver's per-request limit are split.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/fat32/block_device.h"
#include "services/block/protocol.h"
#include "services/vfsd/channel.h"

namespace hiillos::fsd {

class BlockClient final : public fat32::BlockDevice {
 public:
  // `buffer` is the session's shared frame as mapped here (the caller attached it);
  // `attachment` is the id kAttachBuffer's reply gave it (w2), which every read and write names.
  BlockClient(fs::Channel& channel, uint8_t* buffer, uint64_t buffer_size, uint64_t attachment)
      : channel_(channel), buffer_(buffer), buffer_size_(buffer_size), attachment_(attachment) {}

  // Asks the driver for its geometry (kInfo). kDeviceError when the reply makes no sense
  // (sector size not 512, no sectors, no room for a sector in the buffer).
  Result<void, block::Error> Connect();

  uint32_t sector_size() const override { return static_cast<uint32_t>(block::kSectorSize); }
  uint64_t sector_count() const override { return sector_count_; }
  Result<void, fat32::Error> Read(uint64_t first, uint32_t count, uint8_t* out) override;
  Result<void, fat32::Error> Write(uint64_t first, uint32_t count, const uint8_t* data) override;

  bool read_only() const { return read_only_; }
  // The last error the driver (or the IPC) reported, for the log.
  block::Error last_error() const { return last_error_; }
  // True once the session is gone: a call failed at the IPC level (no driver behind the Sender,
  // or it died holding our request) or the driver answered kNoBuffer (a restarted instance that
  // never saw our buffer, or another client attached a buffer after ours). Nothing this client
  // does succeeds again.
  bool lost() const { return lost_; }

 private:
  Result<void, fat32::Error> Transfer(block::Op op, uint64_t first, uint32_t count, uint8_t* data);

  fs::Channel& channel_;
  uint8_t* buffer_;
  uint64_t buffer_size_;
  uint64_t attachment_;
  uint64_t sector_count_ = 0;
  uint64_t chunk_sectors_ = 0;  // sectors per request
  bool read_only_ = false;
  bool lost_ = false;
  block::Error last_error_ = block::Error::kOk;
};

}  // namespace hiillos::fsd
