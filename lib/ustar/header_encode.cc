// lib/ustar/header_encode.cc — encoding of one ustar header block (used by the host packer).
#include "lib/ustar/header.h"
#include "lib/ustar/octal.h"
#include "lib/ustar/path.h"

namespace hiillos::ustar {
namespace {

char EncodeType(EntryType type) {
  switch (type) {
    case EntryType::kDirectory:
      return kTypeDirectory;
    case EntryType::kSymlink:
      return kTypeSymlink;
    case EntryType::kRegular:
      break;
  }
  return kTypeRegular;
}

// Splits stored[0, length) into prefix and name fields. A short path goes whole into name;
// a longer one is split at the first '/' that leaves both parts within their limits.
Result<void, Error> EncodePath(const char* stored, size_t length, RawHeader* raw) {
  if (length <= kMaxNameLength) {
    __builtin_memcpy(raw->name, stored, length);
    return Ok<Error>();
  }
  for (size_t slash = 1; slash <= kMaxPrefixLength && slash < length; ++slash) {
    if (stored[slash] != '/') continue;
    const size_t name_length = length - slash - 1;
    if (name_length == 0 || name_length > kMaxNameLength) continue;
    __builtin_memcpy(raw->prefix, stored, slash);
    __builtin_memcpy(raw->name, stored + slash + 1, name_length);
    return Ok<Error>();
  }
  return Err(Error::kNameTooLong);
}

}  // namespace

Result<void, Error> EncodeHeader(const HeaderFields& fields, uint8_t* block) {
  if (fields.path == nullptr || !IsValidPath(fields.path, fields.path_length)) {
    return Err(Error::kBadName);
  }
  const bool is_symlink = fields.type == EntryType::kSymlink;
  if (is_symlink != (fields.link_target_length != 0)) return Err(Error::kBadName);
  if (is_symlink) {
    if (fields.link_target == nullptr) return Err(Error::kBadName);
    if (BoundedLength(fields.link_target, fields.link_target_length) != fields.link_target_length) {
      return Err(Error::kBadName);  // embedded NUL
    }
    if (fields.link_target_length > kMaxLinkTargetLength) return Err(Error::kNameTooLong);
  }
  if (fields.type != EntryType::kRegular && fields.size != 0) return Err(Error::kBadSize);
  if (fields.mode > kModeMask) return Err(Error::kBadNumber);

  RawHeader raw;
  __builtin_memset(&raw, 0, sizeof(raw));

  // Directories are stored as "path/"; kMaxPathLength bounds the copy below.
  const bool is_directory = fields.type == EntryType::kDirectory;
  const size_t stored_length = fields.path_length + (is_directory ? 1 : 0);
  if (stored_length > kMaxPathLength) return Err(Error::kNameTooLong);
  char stored[kMaxPathLength];
  __builtin_memcpy(stored, fields.path, fields.path_length);
  if (is_directory) stored[fields.path_length] = '/';
  TRY(EncodePath(stored, stored_length, &raw));

  TRY(EncodeOctal(fields.mode, raw.mode, sizeof(raw.mode)));
  TRY(EncodeOctal(fields.uid, raw.uid, sizeof(raw.uid)));
  TRY(EncodeOctal(fields.gid, raw.gid, sizeof(raw.gid)));
  TRY(EncodeOctal(fields.size, raw.size, sizeof(raw.size)));
  TRY(EncodeOctal(fields.mtime, raw.mtime, sizeof(raw.mtime)));
  TRY(EncodeOctal(0, raw.devmajor, sizeof(raw.devmajor)));
  TRY(EncodeOctal(0, raw.devminor, sizeof(raw.devminor)));
  raw.typeflag = EncodeType(fields.type);
  if (is_symlink) __builtin_memcpy(raw.linkname, fields.link_target, fields.link_target_length);
  __builtin_memcpy(raw.magic, kMagic, sizeof(kMagic));
  __builtin_memcpy(raw.version, kVersion, sizeof(kVersion));

  // Checksum: six octal digits, NUL, space (the traditional spelling every reader accepts).
  __builtin_memcpy(block, &raw, sizeof(raw));
  const uint32_t checksum = ComputeChecksum(block);
  TRY(EncodeOctal(checksum, raw.checksum, 7));
  raw.checksum[7] = ' ';
  __builtin_memcpy(block, &raw, sizeof(raw));
  return Ok<Error>();
}

}  // namespace hiillos::ustar
