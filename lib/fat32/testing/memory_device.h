// lib/fat32/testing/memory_device.h — host test doubles: a disk image in memory and a clock.
#pragma once

#include <stdint.h>

#include <vector>

#include "lib/fat32/block_device.h"
#include "lib/fat32/clock.h"

namespace hiillos::fat32::testing {

// A disk image held in memory; reads and writes outside it are kIo. `fail_writes_after`
// makes every write after that many fail (I/O error injection).
class MemoryDevice final : public BlockDevice {
 public:
  explicit MemoryDevice(std::vector<uint8_t> image) : image_(std::move(image)) {}

  uint32_t sector_size() const override { return kSectorSize; }
  uint64_t sector_count() const override { return image_.size() / kSectorSize; }
  Result<void, Error> Read(uint64_t first, uint32_t count, uint8_t* out) override;
  Result<void, Error> Write(uint64_t first, uint32_t count, const uint8_t* data) override;

  std::vector<uint8_t>& image() { return image_; }
  uint64_t writes() const { return writes_; }

 private:
  std::vector<uint8_t> image_;
  uint64_t writes_ = 0;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(uint64_t seconds) : seconds_(seconds) {}
  uint64_t NowUnixSeconds() override { return seconds_; }
  void Set(uint64_t seconds) { seconds_ = seconds; }

 private:
  uint64_t seconds_;
};

}  // namespace hiillos::fat32::testing
