// lib/fat32/geometry.cc — boot sector (BPB) validation: every field checked before it is used.
#include "lib/fat32/geometry.h"

#include "lib/base/checked.h"
#include "lib/fat32/block_device.h"
#include "lib/fat32/layout.h"

namespace hiillos::fat32 {

Result<Geometry, Error> ParseBootSector(const uint8_t* s, uint64_t device_sectors) {
  if (s[bpb::kSignature] != 0x55 || s[bpb::kSignature + 1] != 0xAA) {
    return Err(Error::kBadBootSignature);
  }
  if (s[bpb::kJump] != 0xEB && s[bpb::kJump] != 0xE9) return Err(Error::kBadBootSignature);
  if (Load16(s + bpb::kBytesPerSector) != kSectorSize) return Err(Error::kBadBytesPerSector);

  Geometry g{};
  g.sectors_per_cluster = s[bpb::kSectorsPerCluster];
  if (!IsPowerOfTwo(g.sectors_per_cluster) || g.sectors_per_cluster > 128) {
    return Err(Error::kBadSectorsPerCluster);
  }
  g.bytes_per_cluster = g.sectors_per_cluster * kSectorSize;

  if (Load16(s + bpb::kRootEntryCount) != 0 || Load16(s + bpb::kFatSize16) != 0 ||
      Load16(s + bpb::kFsVersion) != 0) {
    return Err(Error::kNotFat32);
  }
  g.fat_sectors = Load32(s + bpb::kFatSize32);
  if (g.fat_sectors == 0) return Err(Error::kNotFat32);

  g.media = s[bpb::kMedia];
  if (g.media != 0xF0 && g.media < 0xF8) return Err(Error::kBadMedia);

  g.fat_count = s[bpb::kFatCount];
  if (g.fat_count < 1 || g.fat_count > 4) return Err(Error::kBadFatCount);

  g.reserved_sectors = Load16(s + bpb::kReservedSectors);
  if (g.reserved_sectors == 0) return Err(Error::kBadReservedSectors);
  const uint32_t fs_info = Load16(s + bpb::kFsInfoSector);
  const uint32_t backup = Load16(s + bpb::kBackupBootSector);
  // 0 and 0xFFFF both mean "none" in the wild.
  g.fs_info_sector = (fs_info == 0xFFFF) ? 0 : fs_info;
  if (g.fs_info_sector >= g.reserved_sectors) return Err(Error::kBadReservedSectors);
  if (backup != 0 && backup != 0xFFFF && backup >= g.reserved_sectors) {
    return Err(Error::kBadReservedSectors);
  }

  const uint32_t total16 = Load16(s + bpb::kTotalSectors16);
  const uint32_t total32 = Load32(s + bpb::kTotalSectors32);
  if (total16 != 0 && total32 != 0 && total16 != total32) return Err(Error::kBadTotalSectors);
  g.total_sectors = total16 != 0 ? total16 : total32;
  if (g.total_sectors == 0) return Err(Error::kBadTotalSectors);

  uint32_t all_fats = 0;
  if (!CheckedMul(g.fat_sectors, g.fat_count, &all_fats) ||
      !CheckedAdd(g.reserved_sectors, all_fats, &g.data_start) || g.data_start >= g.total_sectors) {
    return Err(Error::kBadTotalSectors);
  }
  g.cluster_count = (g.total_sectors - g.data_start) / g.sectors_per_cluster;
  if (g.cluster_count == 0 || g.cluster_count > kMaxClusterCount) {
    return Err(Error::kBadTotalSectors);
  }
  // Entries 0 and 1 are reserved; every cluster needs a 4-byte entry.
  if (static_cast<uint64_t>(g.fat_sectors) * (kSectorSize / 4) <
      static_cast<uint64_t>(g.cluster_count) + 2) {
    return Err(Error::kBadFatSize);
  }
  if (g.total_sectors > device_sectors) return Err(Error::kTruncatedImage);

  const uint16_t ext_flags = Load16(s + bpb::kExtFlags);
  g.fat_mirrored = (ext_flags & 0x80) == 0;
  g.active_fat = g.fat_mirrored ? 0 : (ext_flags & 0x0F);
  if (g.active_fat >= g.fat_count) return Err(Error::kBadActiveFat);

  g.root_cluster = Load32(s + bpb::kRootCluster);
  if (!g.IsValidCluster(g.root_cluster)) return Err(Error::kBadRootCluster);
  g.volume_id = Load32(s + bpb::kVolumeId);
  return g;
}

Result<void, Error> CheckFsInfo(const uint8_t* s) {
  if (Load32(s + fsinfo::kLeadSignatureOffset) != fsinfo::kLeadSignature ||
      Load32(s + fsinfo::kStructSignatureOffset) != fsinfo::kStructSignature ||
      Load32(s + fsinfo::kTrailSignatureOffset) != fsinfo::kTrailSignature) {
    return Err(Error::kBadFsInfo);
  }
  return {};
}

}  // namespace hiillos::fat32
