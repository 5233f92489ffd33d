// lib/fat32/error_name.cc — human-readable names of fat32::Error values.
#include "lib/fat32/error.h"

namespace hiillos::fat32 {

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kIo:
      return "block device I/O error";
    case Error::kBadSectorSize:
      return "device sector size is not 512";
    case Error::kTruncatedImage:
      return "volume is larger than the device";
    case Error::kBadBootSignature:
      return "no boot sector signature";
    case Error::kBadBytesPerSector:
      return "bytes per sector is not 512";
    case Error::kBadSectorsPerCluster:
      return "bad sectors per cluster";
    case Error::kBadReservedSectors:
      return "bad reserved sector count";
    case Error::kBadFatCount:
      return "bad number of FATs";
    case Error::kNotFat32:
      return "not a FAT32 volume";
    case Error::kBadTotalSectors:
      return "bad total sector count";
    case Error::kBadFatSize:
      return "FAT too small for the cluster count";
    case Error::kBadMedia:
      return "bad media descriptor";
    case Error::kBadRootCluster:
      return "root cluster outside the volume";
    case Error::kBadFsInfo:
      return "bad FSInfo sector";
    case Error::kBadActiveFat:
      return "active FAT number out of range";
    case Error::kBadCluster:
      return "cluster chain points outside the volume or to a free/bad cluster";
    case Error::kChainLoop:
      return "cluster chain loops";
    case Error::kChainTooShort:
      return "cluster chain shorter than the file size";
    case Error::kBadDirectory:
      return "malformed directory";
    case Error::kNotFound:
      return "no such file or directory";
    case Error::kNotADirectory:
      return "not a directory";
    case Error::kIsADirectory:
      return "is a directory";
    case Error::kExists:
      return "name already exists";
    case Error::kBadName:
      return "invalid file name";
    case Error::kNameTooLong:
      return "file name too long";
    case Error::kBadPath:
      return "invalid path";
    case Error::kNoSpace:
      return "no space left on volume";
    case Error::kDirectoryFull:
      return "directory full";
    case Error::kDirectoryNotEmpty:
      return "directory not empty";
    case Error::kFileTooLarge:
      return "file too large";
    case Error::kInvalidRename:
      return "cannot move a directory into itself";
  }
  return "unknown error";
}

}  // namespace hiillos::fat32
