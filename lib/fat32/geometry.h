// lib/fat32/geometry.h — the validated layout of a FAT32 volume, decoded from its boot sector.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/fat32/error.h"

namespace hiillos::fat32 {

struct Geometry {
  uint32_t sectors_per_cluster;
  uint32_t bytes_per_cluster;
  uint32_t reserved_sectors;  // the first FAT starts here
  uint32_t fat_count;
  uint32_t fat_sectors;    // sectors per FAT
  uint32_t total_sectors;  // of the volume (<= the device's)
  uint32_t data_start;     // first sector of cluster 2
  uint32_t cluster_count;  // valid cluster numbers: 2 .. cluster_count + 1
  uint32_t root_cluster;
  uint32_t fs_info_sector;  // 0: the volume has no FSInfo
  bool fat_mirrored;        // writes go to every FAT (else only to active_fat)
  uint32_t active_fat;      // the FAT that is read
  uint8_t media;
  uint32_t volume_id;

  bool IsValidCluster(uint32_t cluster) const {
    return cluster >= 2 && cluster - 2 < cluster_count;
  }
  // First sector of a valid cluster (fits 32 bits: checked by ParseBootSector).
  uint32_t ClusterSector(uint32_t cluster) const {
    return data_start + (cluster - 2) * sectors_per_cluster;
  }
};

// Checks every BPB field of `sector` (512 bytes) against FAT32's rules and the device size.
// Small volumes (fewer than 65525 clusters) are accepted when the BPB has the FAT32 layout, as
// Linux and `mkfs.fat -F 32` do. Errors: kBadBootSignature .. kBadActiveFat, kTruncatedImage.
Result<Geometry, Error> ParseBootSector(const uint8_t* sector, uint64_t device_sectors);

// Checks the FSInfo sector's three signatures. Error: kBadFsInfo.
Result<void, Error> CheckFsInfo(const uint8_t* sector);

}  // namespace hiillos::fat32
