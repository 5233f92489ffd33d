// lib/ustar/header.h — decoding and encoding of one ustar header block (the shared format code
// of the freestanding reader and the host packer).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/ustar/format.h"

namespace hiillos::ustar {

// A decoded, fully validated header.
struct Header {
  char path[kMaxPathLength + 1];  // prefix and name joined, NUL-terminated, no trailing '/'
  size_t path_length;
  EntryType type;
  uint32_t mode;  // permission bits only (<= 07777)
  uint64_t size;  // data bytes that follow the header; 0 for directories and symlinks
  uint64_t mtime;
  uint64_t uid;
  uint64_t gid;
  char link_target[kMaxLinkTargetLength + 1];  // symlinks only, NUL-terminated; else ""
  size_t link_target_length;
};

// What the encoder writes. uname/gname are left empty and devmajor/devminor are zero.
struct HeaderFields {
  const char* path = nullptr;  // a valid path (see path.h), without a trailing '/'
  size_t path_length = 0;
  EntryType type = EntryType::kRegular;
  uint32_t mode = 0;
  uint64_t size = 0;
  uint64_t mtime = 0;
  uint64_t uid = 0;
  uint64_t gid = 0;
  const char* link_target = nullptr;  // symlinks only
  size_t link_target_length = 0;
};

// The header checksum: the unsigned sum of all 512 bytes with the checksum field read as spaces.
uint32_t ComputeChecksum(const uint8_t* block);

bool IsZeroBlock(const uint8_t* block);

// Decodes and validates the 512 bytes at `block`. Checks, in order: checksum, magic/version,
// type, NUL-terminated text fields, numeric fields, path rules, sizes of non-files.
// An all-zero block is not a header (Error::kBadNumber: its checksum field is empty).
Result<Header, Error> DecodeHeader(const uint8_t* block);

// Encodes `fields` into the 512 bytes at `block` (all written on success, none on error).
// Directories get the conventional trailing '/'. Long paths are split at a '/' into prefix and
// name.
// Errors: kBadName (invalid path or link target), kNameTooLong, kBadNumber (mode above 07777 or
// a value too large for its field), kBadSize (directory/symlink with data).
Result<void, Error> EncodeHeader(const HeaderFields& fields, uint8_t* block);

}  // namespace hiillos::ustar
