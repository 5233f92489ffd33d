// lib/ustar/header_decode.cc — validation and decoding of one ustar header block.
#include "lib/ustar/header.h"
#include "lib/ustar/octal.h"
#include "lib/ustar/path.h"

namespace hiillos::ustar {
namespace {

constexpr size_t kChecksumOffset = offsetof(RawHeader, checksum);
constexpr size_t kChecksumWidth = sizeof(RawHeader::checksum);

Result<EntryType, Error> DecodeType(char typeflag) {
  switch (typeflag) {
    case kTypeRegular:
    case kTypeRegularOld:
      return EntryType::kRegular;
    case kTypeDirectory:
      return EntryType::kDirectory;
    case kTypeSymlink:
      return EntryType::kSymlink;
    default:
      return Err(Error::kUnsupportedType);
  }
}

// Length of a text field that must hold a NUL within its width.
Result<size_t, Error> TerminatedLength(const char* field, size_t width) {
  const size_t length = BoundedLength(field, width);
  if (length == width) return Err(Error::kBadName);
  return length;
}

// Joins prefix and name into header->path and validates the result for `type`.
Result<void, Error> DecodePath(const RawHeader& raw, EntryType type, Header* header) {
  const size_t prefix_length = TRY(TerminatedLength(raw.prefix, sizeof(raw.prefix)));
  size_t name_length = TRY(TerminatedLength(raw.name, sizeof(raw.name)));
  if (name_length == 0) return Err(Error::kBadName);
  // Only a directory may (and conventionally does) end in '/'; its path drops it.
  if (raw.name[name_length - 1] == '/') {
    if (type != EntryType::kDirectory) return Err(Error::kBadName);
    --name_length;
  }
  size_t length = 0;
  if (prefix_length != 0) {
    __builtin_memcpy(header->path, raw.prefix, prefix_length);
    length = prefix_length;
    header->path[length++] = '/';
  }
  __builtin_memcpy(header->path + length, raw.name, name_length);
  length += name_length;
  header->path[length] = '\0';
  header->path_length = length;
  if (!IsValidPath(header->path, length)) return Err(Error::kBadName);
  return Ok<Error>();
}

Result<void, Error> DecodeLinkTarget(const RawHeader& raw, EntryType type, Header* header) {
  const size_t length = TRY(TerminatedLength(raw.linkname, sizeof(raw.linkname)));
  // A symlink needs a target; no other type may carry one.
  if ((type == EntryType::kSymlink) != (length != 0)) return Err(Error::kBadName);
  __builtin_memcpy(header->link_target, raw.linkname, length);
  header->link_target[length] = '\0';
  header->link_target_length = length;
  return Ok<Error>();
}

}  // namespace

uint32_t ComputeChecksum(const uint8_t* block) {
  uint32_t sum = 0;
  for (size_t i = 0; i < kBlockSize; ++i) {
    const bool in_field = i >= kChecksumOffset && i < kChecksumOffset + kChecksumWidth;
    sum += in_field ? uint32_t{' '} : block[i];
  }
  return sum;
}

bool IsZeroBlock(const uint8_t* block) {
  for (size_t i = 0; i < kBlockSize; ++i) {
    if (block[i] != 0) return false;
  }
  return true;
}

Result<Header, Error> DecodeHeader(const uint8_t* block) {
  RawHeader raw;
  __builtin_memcpy(&raw, block, sizeof(raw));

  const uint64_t stored = TRY(ParseOctal(raw.checksum, sizeof(raw.checksum)));
  if (stored != ComputeChecksum(block)) return Err(Error::kBadChecksum);
  for (size_t i = 0; i < sizeof(kMagic); ++i) {
    if (raw.magic[i] != kMagic[i]) return Err(Error::kBadMagic);
  }
  for (size_t i = 0; i < sizeof(kVersion); ++i) {
    if (raw.version[i] != kVersion[i]) return Err(Error::kBadMagic);
  }

  Header header = {};
  header.type = TRY(DecodeType(raw.typeflag));
  TRY(TerminatedLength(raw.uname, sizeof(raw.uname)));
  TRY(TerminatedLength(raw.gname, sizeof(raw.gname)));
  TRY(DecodePath(raw, header.type, &header));
  TRY(DecodeLinkTarget(raw, header.type, &header));

  const uint64_t mode = TRY(ParseOctal(raw.mode, sizeof(raw.mode)));
  if (mode > kModeMask) return Err(Error::kBadNumber);
  header.mode = static_cast<uint32_t>(mode);
  header.uid = TRY(ParseOctal(raw.uid, sizeof(raw.uid)));
  header.gid = TRY(ParseOctal(raw.gid, sizeof(raw.gid)));
  header.size = TRY(ParseOctal(raw.size, sizeof(raw.size)));
  header.mtime = TRY(ParseOctal(raw.mtime, sizeof(raw.mtime)));
  TRY(ParseOptionalOctal(raw.devmajor, sizeof(raw.devmajor)));
  TRY(ParseOptionalOctal(raw.devminor, sizeof(raw.devminor)));

  if (header.type != EntryType::kRegular && header.size != 0) return Err(Error::kBadSize);
  return header;
}

}  // namespace hiillos::ustar
