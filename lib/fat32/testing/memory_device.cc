// lib/fat32/testing/memory_device.cc — bounds-checked sector access to an in-memory image.
#include "lib/fat32/testing/memory_device.h"

#include <string.h>

#include "lib/base/checked.h"

namespace hiillos::fat32::testing {

Result<void, Error> MemoryDevice::Read(uint64_t first, uint32_t count, uint8_t* out) {
  if (count == 0 || !RangeInside(first, count, sector_count())) return Err(Error::kIo);
  if (reads_ >= read_limit_) return Err(Error::kIo);
  ++reads_;
  memcpy(out, image_.data() + first * kSectorSize, static_cast<size_t>(count) * kSectorSize);
  return {};
}

Result<void, Error> MemoryDevice::Write(uint64_t first, uint32_t count, const uint8_t* data) {
  if (count == 0 || !RangeInside(first, count, sector_count())) return Err(Error::kIo);
  if (writes_ >= write_limit_) return Err(Error::kIo);
  memcpy(image_.data() + first * kSectorSize, data, static_cast<size_t>(count) * kSectorSize);
  ++writes_;
  return {};
}

}  // namespace hiillos::fat32::testing
