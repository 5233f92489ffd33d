// lib/fat32/block_device.h — what lib/fat32 needs from a disk: read and write whole sectors.
//
// The fsd.fat32 server plugs its virtio-blk client in here; host tests use an in-memory image.
// Only 512-byte sectors are supported (FAT32 with other sizes is rare and refused at mount).
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/fat32/error.h"

namespace hiillos::fat32 {

inline constexpr uint32_t kSectorSize = 512;

class BlockDevice {
 public:
  virtual uint32_t sector_size() const = 0;
  virtual uint64_t sector_count() const = 0;
  // Reads sectors [first, first + count) into `out` (count * 512 bytes). Any failure: kIo.
  virtual Result<void, Error> Read(uint64_t first, uint32_t count, uint8_t* out) = 0;
  // Writes sectors [first, first + count) from `data`. Any failure: kIo.
  virtual Result<void, Error> Write(uint64_t first, uint32_t count, const uint8_t* data) = 0;

 protected:
  ~BlockDevice() = default;
};

}  // namespace hiillos::fat32
