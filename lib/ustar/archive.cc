// lib/ustar/archive.cc — a validated, read-only view of an in-memory ustar archive.
#include "lib/ustar/archive.h"

#include "lib/base/checked.h"
#include "lib/ustar/path.h"

namespace hiillos::ustar {
namespace {

// Checks the end-of-archive marker at data[offset]: at least two zero blocks, and nothing but
// zeros to the end of the buffer (tar pads archives to its record size with zeros).
Result<void, Error> CheckEndMarker(const uint8_t* data, size_t size, size_t offset) {
  if (!RangeInside(offset, kEndMarkerSize, size)) return Err(Error::kBadEndMarker);
  for (size_t i = offset; i < size; ++i) {
    if (data[i] != 0) return Err(Error::kBadEndMarker);
  }
  return Ok<Error>();
}

// Checks that no entry before `until` has the path of `entry`.
Result<void, Error> CheckUnique(const uint8_t* data, size_t size, size_t until,
                                const Entry& entry) {
  size_t offset = 0;
  while (offset < until) {
    const Entry earlier = TRY(DecodeEntryAt(data, size, offset));
    if (SameBytes(earlier.path, earlier.path_length, entry.path, entry.path_length)) {
      return Err(Error::kDuplicatePath);
    }
    offset = earlier.next_offset;
  }
  return Ok<Error>();
}

}  // namespace

Result<Entry, Error> DecodeEntryAt(const uint8_t* data, size_t size, size_t offset) {
  if (!RangeInside(offset, kBlockSize, size)) return Err(Error::kTruncated);
  Entry entry = {};
  static_cast<Header&>(entry) = TRY(DecodeHeader(data + offset));
  const size_t data_offset = offset + kBlockSize;
  if (!RangeInside(data_offset, entry.size, size)) return Err(Error::kDataOutOfBounds);
  uint64_t padded = 0;
  if (!AlignUp(entry.size, kBlockSize, &padded) || !RangeInside(data_offset, padded, size)) {
    return Err(Error::kDataOutOfBounds);
  }
  entry.data = data + data_offset;
  entry.header_offset = offset;
  entry.next_offset = data_offset + padded;
  return entry;
}

Result<Archive, Error> Archive::Open(const uint8_t* data, size_t size) {
  if (data == nullptr && size != 0) return Err(Error::kTruncated);
  size_t offset = 0;
  size_t count = 0;
  while (true) {
    if (!RangeInside(offset, kBlockSize, size)) {
      // Entries ended exactly at the buffer's end: no marker. Else a partial block.
      return Err(offset == size ? Error::kBadEndMarker : Error::kTruncated);
    }
    if (IsZeroBlock(data + offset)) break;
    const Entry entry = TRY(DecodeEntryAt(data, size, offset));
    TRY(CheckUnique(data, size, offset, entry));
    offset = entry.next_offset;
    ++count;
  }
  TRY(CheckEndMarker(data, size, offset));
  return Archive(data, size, offset, count);
}

Archive::Iterator::Iterator(const Archive* archive, size_t offset)
    : archive_(archive), offset_(offset), entry_() {
  if (offset_ >= archive_->end_offset_) return;
  auto entry = DecodeEntryAt(archive_->data_, archive_->size_, offset_);
  // Open validated every entry, so this cannot fail; stop iterating if it somehow does.
  if (entry.ok()) {
    entry_ = entry.value();
  } else {
    offset_ = archive_->end_offset_;
  }
}

Archive::Iterator& Archive::Iterator::operator++() {
  *this = Iterator(archive_, entry_.next_offset);
  return *this;
}

Result<Entry, Error> Archive::Lookup(const char* path, size_t length) const {
  if (length != 0 && path[0] == '/') {
    ++path;
    --length;
  }
  if (length != 0 && path[length - 1] == '/') --length;
  for (const Entry& entry : *this) {
    if (SameBytes(entry.path, entry.path_length, path, length)) return entry;
  }
  return Err(Error::kNotFound);
}

Result<Entry, Error> Archive::Lookup(const char* path) const {
  // Longest query that can match: a full-length path with a leading and a trailing '/'.
  constexpr size_t kLongestQuery = kMaxPathLength + 2;
  const size_t length = BoundedLength(path, kLongestQuery + 1);
  if (length > kLongestQuery) return Err(Error::kNotFound);
  return Lookup(path, length);
}

}  // namespace hiillos::ustar
