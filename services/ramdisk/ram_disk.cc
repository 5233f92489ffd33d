// services/ramdisk/ram_disk.cc — the in-memory medium under the block request checks.
#include "services/ramdisk/ram_disk.h"

namespace hiillos::ramdisk {

block::Error RamDisk::ReadSectors(uint64_t first, uint64_t count, uint8_t* data) {
  __builtin_memcpy(data, disk_ + first * block::kSectorSize, count * block::kSectorSize);
  return block::Error::kOk;
}

block::Error RamDisk::WriteSectors(uint64_t first, uint64_t count, const uint8_t* data) {
  __builtin_memcpy(disk_ + first * block::kSectorSize, data, count * block::kSectorSize);
  return block::Error::kOk;
}

}  // namespace hiillos::ramdisk
