// lib/fat32/error.h — the closed list of errors every lib/fat32 operation can return.
#pragma once

#include <stdint.h>

namespace hiillos::fat32 {

enum class Error : uint8_t {
  // The block device.
  kIo,              // the device reported a read or write failure
  kBadSectorSize,   // the device's sector size is not 512 bytes
  kTruncatedImage,  // the volume claims more sectors than the device has
  // Boot sector (BPB), FSInfo and geometry, checked by Mount.
  kBadBootSignature,      // no 0x55AA signature or no x86 jump at the start of sector 0
  kBadBytesPerSector,     // BPB bytes per sector is not 512
  kBadSectorsPerCluster,  // not a power of two in 1..128
  kBadReservedSectors,    // zero, or too few to hold the FSInfo / backup boot sectors
  kBadFatCount,           // number of FATs not in 1..4
  kNotFat32,              // FAT12/16 layout: root entries, 16-bit FAT size, or FSVer != 0
  kBadTotalSectors,       // zero, inconsistent 16/32-bit fields, or no room for data
  kBadFatSize,            // the FAT cannot hold an entry for every cluster
  kBadMedia,              // media byte not 0xF0 or 0xF8..0xFF, or not repeated in FAT[0]
  kBadRootCluster,        // root directory cluster outside the volume
  kBadFsInfo,             // FSInfo sector number or signatures wrong
  kBadActiveFat,          // mirroring off and the active FAT number >= number of FATs
  // Cluster chains and directories (corrupt volumes).
  kBadCluster,     // a chain points outside the volume, to a free, reserved or bad cluster
  kChainLoop,      // a chain is longer than the volume's cluster count (it loops)
  kChainTooShort,  // a file's chain ends before its size says it should
  kBadDirectory,   // malformed directory (bad '.'/'..', entry pointing nowhere, > 65536 slots)
  // Operations.
  kNotFound,           // no entry with that name
  kNotADirectory,      // a path component or the target is a file
  kIsADirectory,       // a file operation on a directory
  kExists,             // the target name is already taken
  kBadName,            // empty, '.', '..', invalid UTF-8 or a character FAT forbids
  kNameTooLong,        // longer than 255 UTF-16 units
  kBadPath,            // path with '..' or longer than kMaxPathBytes
  kNoSpace,            // no free cluster left
  kDirectoryFull,      // the directory is at 65536 slots or out of ~N short-name tails
  kDirectoryNotEmpty,  // rmdir of a directory with entries
  kFileTooLarge,       // the file would grow beyond 4 GiB - 1
  kInvalidRename,      // moving a directory into itself, or the root
};

// A short human-readable description ("cluster chain loops"), for logs and tests.
const char* ErrorName(Error error);

}  // namespace hiillos::fat32
