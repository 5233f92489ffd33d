// lib/fat32/testing/memory_device.h — host test doubles: a disk image in memory and a clock.
#pragma once

#include <stdint.h>

#include <vector>

#include "lib/fat32/block_device.h"
#include "lib/fat32/clock.h"

namespace hiillos::fat32::testing {

// A disk image held in memory; reads and writes outside it are kIo. FailAfter() injects I/O
// errors: every read after `reads` successful ones and every write after `writes` fails.
class MemoryDevice final : public BlockDevice {
 public:
  explicit MemoryDevice(std::vector<uint8_t> image) : image_(std::move(image)) {}

  uint32_t sector_size() const override { return kSectorSize; }
  uint64_t sector_count() const override { return image_.size() / kSectorSize; }
  Result<void, Error> Read(uint64_t first, uint32_t count, uint8_t* out) override;
  Result<void, Error> Write(uint64_t first, uint32_t count, const uint8_t* data) override;

  std::vector<uint8_t>& image() { return image_; }
  uint64_t reads() const { return reads_; }
  uint64_t writes() const { return writes_; }
  void FailAfter(uint64_t reads, uint64_t writes) {
    read_limit_ = reads_ + reads;
    write_limit_ = writes_ + writes;
  }

 private:
  std::vector<uint8_t> image_;
  uint64_t reads_ = 0;
  uint64_t writes_ = 0;
  uint64_t read_limit_ = ~uint64_t{0};
  uint64_t write_limit_ = ~uint64_t{0};
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
