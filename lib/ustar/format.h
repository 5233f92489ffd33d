// lib/ustar/format.h — the POSIX ustar on-disk header layout, its constants and error values.
//
// One 512-byte header block per entry, followed by the entry's data padded to 512 bytes; the
// archive ends with two all-zero blocks. Reference: POSIX.1-2017, pax "ustar Interchange Format".
// hiillos is stricter than POSIX in one place: every text field (name, prefix, linkname, uname,
// gname) must hold a NUL inside the field, so a name is at most 99 bytes and a prefix at most 154.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::ustar {

inline constexpr size_t kBlockSize = 512;
// The end-of-archive marker: two all-zero blocks.
inline constexpr size_t kEndMarkerSize = 2 * kBlockSize;

// Field widths, in bytes.
inline constexpr size_t kNameField = 100;
inline constexpr size_t kPrefixField = 155;
inline constexpr size_t kLinkNameField = 100;
inline constexpr size_t kOwnerNameField = 32;

// Longest texts that fit a field together with their terminating NUL.
inline constexpr size_t kMaxNameLength = kNameField - 1;            // 99
inline constexpr size_t kMaxPrefixLength = kPrefixField - 1;        // 154
inline constexpr size_t kMaxLinkTargetLength = kLinkNameField - 1;  // 99
// prefix + '/' + name, without the NUL.
inline constexpr size_t kMaxPathLength = kMaxPrefixLength + 1 + kMaxNameLength;  // 254

// The header block exactly as stored. Numeric fields are octal ASCII.
struct RawHeader {
  char name[kNameField];          // 0
  char mode[8];                   // 100
  char uid[8];                    // 108
  char gid[8];                    // 116
  char size[12];                  // 124
  char mtime[12];                 // 136
  char checksum[8];               // 148
  char typeflag;                  // 156
  char linkname[kLinkNameField];  // 157
  char magic[6];                  // 257: "ustar\0"
  char version[2];                // 263: "00"
  char uname[kOwnerNameField];    // 265
  char gname[kOwnerNameField];    // 297
  char devmajor[8];               // 329
  char devminor[8];               // 337
  char prefix[kPrefixField];      // 345
  char pad[12];                   // 500
};
static_assert(sizeof(RawHeader) == kBlockSize);
static_assert(offsetof(RawHeader, mode) == 100);
static_assert(offsetof(RawHeader, size) == 124);
static_assert(offsetof(RawHeader, checksum) == 148);
static_assert(offsetof(RawHeader, typeflag) == 156);
static_assert(offsetof(RawHeader, linkname) == 157);
static_assert(offsetof(RawHeader, magic) == 257);
static_assert(offsetof(RawHeader, uname) == 265);
static_assert(offsetof(RawHeader, devmajor) == 329);
static_assert(offsetof(RawHeader, prefix) == 345);
static_assert(offsetof(RawHeader, pad) == 500);

inline constexpr char kMagic[6] = {'u', 's', 't', 'a', 'r', '\0'};
inline constexpr char kVersion[2] = {'0', '0'};

// Type flags this library reads and writes. '\0' is the pre-POSIX spelling of a regular file.
inline constexpr char kTypeRegular = '0';
inline constexpr char kTypeRegularOld = '\0';
inline constexpr char kTypeSymlink = '2';
inline constexpr char kTypeDirectory = '5';

// Permission bits a mode field may carry (setuid, setgid, sticky, rwx for u/g/o).
inline constexpr uint32_t kModeMask = 07777;

enum class EntryType : uint8_t { kRegular, kDirectory, kSymlink };

enum class Error : uint8_t {
  kTruncated,        // the buffer ends inside a header block
  kBadChecksum,      // the header's checksum does not match its bytes
  kBadMagic,         // not a POSIX ustar header (magic "ustar\0", version "00")
  kBadNumber,        // a numeric field is not octal, or a value does not fit its field
  kBadName,          // a text field lacks its NUL, or a path/link target is empty or malformed
  kNameTooLong,      // (encoding) the path cannot be split into prefix and name fields
  kUnsupportedType,  // a type other than regular file, directory or symlink
  kBadSize,          // a directory or symlink with a non-zero size
  kDataOutOfBounds,  // an entry's data (or its padding) runs past the end of the buffer
  kBadEndMarker,     // missing end-of-archive blocks, or non-zero bytes after them
  kDuplicatePath,    // two entries with the same path
  kNotFound,         // (lookup) no entry has the path
};

// A short constant name for messages, e.g. "bad checksum".
const char* ErrorName(Error error);

}  // namespace hiillos::ustar
