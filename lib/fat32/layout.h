// lib/fat32/layout.h — FAT32 on-disk layout: boot sector, FSInfo, FAT entries, directory slots.
//
// Reference: Microsoft "FAT: General Overview of On-Disk Format" (fatgen103), sections 3-8.
// All multi-byte fields are little-endian and may be unaligned, so they are read byte-wise.
#pragma once

#include <stdint.h>

namespace hiillos::fat32 {

inline uint16_t Load16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
inline uint32_t Load32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
inline void Store16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
inline void Store32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// Boot sector / BPB field offsets (fatgen103 §3.1, §3.3).
namespace bpb {
inline constexpr uint32_t kJump = 0;
inline constexpr uint32_t kBytesPerSector = 11;
inline constexpr uint32_t kSectorsPerCluster = 13;
inline constexpr uint32_t kReservedSectors = 14;
inline constexpr uint32_t kFatCount = 16;
inline constexpr uint32_t kRootEntryCount = 17;
inline constexpr uint32_t kTotalSectors16 = 19;
inline constexpr uint32_t kMedia = 21;
inline constexpr uint32_t kFatSize16 = 22;
inline constexpr uint32_t kTotalSectors32 = 32;
inline constexpr uint32_t kFatSize32 = 36;
inline constexpr uint32_t kExtFlags = 40;
inline constexpr uint32_t kFsVersion = 42;
inline constexpr uint32_t kRootCluster = 44;
inline constexpr uint32_t kFsInfoSector = 48;
inline constexpr uint32_t kBackupBootSector = 50;
inline constexpr uint32_t kVolumeId = 67;
inline constexpr uint32_t kSignature = 510;  // 0x55, 0xAA
}  // namespace bpb

// FSInfo sector (fatgen103 §5).
namespace fsinfo {
inline constexpr uint32_t kLeadSignatureOffset = 0;
inline constexpr uint32_t kStructSignatureOffset = 484;
inline constexpr uint32_t kFreeCountOffset = 488;
inline constexpr uint32_t kNextFreeOffset = 492;
inline constexpr uint32_t kTrailSignatureOffset = 508;
inline constexpr uint32_t kLeadSignature = 0x41615252;
inline constexpr uint32_t kStructSignature = 0x61417272;
inline constexpr uint32_t kTrailSignature = 0xAA550000;
inline constexpr uint32_t kUnknown = 0xFFFFFFFF;
}  // namespace fsinfo

// FAT entries: 28 significant bits; the top 4 are reserved and preserved on write.
inline constexpr uint32_t kFatEntryMask = 0x0FFFFFFF;
inline constexpr uint32_t kFatFree = 0;
inline constexpr uint32_t kFatBad = 0x0FFFFFF7;
inline constexpr uint32_t kFatEndOfChain = 0x0FFFFFFF;  // written; >= 0x0FFFFFF8 read as end
inline constexpr uint32_t kFatEndMin = 0x0FFFFFF8;
inline constexpr uint32_t kFirstCluster = 2;
// Largest cluster count whose numbers stay below the bad/end markers.
inline constexpr uint32_t kMaxClusterCount = 0x0FFFFFF5;

// Directory slots (fatgen103 §6, §7).
inline constexpr uint32_t kSlotSize = 32;
inline constexpr uint32_t kSlotsPerSector = 512 / kSlotSize;
inline constexpr uint32_t kMaxDirectorySlots = 65536;
namespace slot {
inline constexpr uint32_t kName = 0;  // 11 bytes, space padded
inline constexpr uint32_t kAttributes = 11;
inline constexpr uint32_t kCaseFlags = 12;  // NT: bit 3 lowercase base, bit 4 lowercase ext
inline constexpr uint32_t kCreateCentis = 13;
inline constexpr uint32_t kCreateTime = 14;
inline constexpr uint32_t kCreateDate = 16;
inline constexpr uint32_t kAccessDate = 18;
inline constexpr uint32_t kClusterHigh = 20;
inline constexpr uint32_t kWriteTime = 22;
inline constexpr uint32_t kWriteDate = 24;
inline constexpr uint32_t kClusterLow = 26;
inline constexpr uint32_t kSize = 28;
// Long-name slots.
inline constexpr uint32_t kLfnOrder = 0;
inline constexpr uint32_t kLfnChecksum = 13;
inline constexpr uint8_t kLfnLast = 0x40;
inline constexpr uint8_t kLfnOrderMask = 0x1F;
inline constexpr uint32_t kLfnCharsPerSlot = 13;
// Byte offsets of the 13 UTF-16 units of one long-name slot.
inline constexpr uint8_t kLfnCharOffsets[kLfnCharsPerSlot] = {1,  3,  5,  7,  9,  14, 16,
                                                              18, 20, 22, 24, 28, 30};
inline constexpr uint8_t kFree = 0xE5;     // first name byte of a deleted slot
inline constexpr uint8_t kEnd = 0x00;      // first name byte of the end marker
inline constexpr uint8_t kKanjiE5 = 0x05;  // stored for a real 0xE5 first byte
inline constexpr uint8_t kCaseLowerBase = 0x08;
inline constexpr uint8_t kCaseLowerExt = 0x10;
}  // namespace slot

namespace attr {
inline constexpr uint8_t kReadOnly = 0x01;
inline constexpr uint8_t kHidden = 0x02;
inline constexpr uint8_t kSystem = 0x04;
inline constexpr uint8_t kVolumeId = 0x08;
inline constexpr uint8_t kDirectory = 0x10;
inline constexpr uint8_t kArchive = 0x20;
inline constexpr uint8_t kLongName = 0x0F;
inline constexpr uint8_t kLongNameMask = 0x3F;
}  // namespace attr

}  // namespace hiillos::fat32
