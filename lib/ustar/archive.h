// lib/ustar/archive.h — a validated, read-only view of an in-memory ustar archive.
//
// Archive::Open checks the whole buffer once (every header, every entry's data inside the
// buffer, no duplicate paths, the end-of-archive marker and only zeros after it); after that,
// iteration and lookup cannot fail on malformed input. The Archive borrows the buffer: entry
// data pointers point into it and stay valid as long as the caller keeps it alive.
//
//   auto archive = TRY(ustar::Archive::Open(data, size));
//   for (const ustar::Entry& entry : archive) { ... entry.path, entry.data, entry.size ... }
//   ustar::Entry init = TRY(archive.Lookup("sbin/init"));
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/ustar/format.h"
#include "lib/ustar/header.h"

namespace hiillos::ustar {

// One archive member: its decoded header plus where it lives in the buffer.
struct Entry : Header {
  const uint8_t* data;   // `size` bytes of file contents (points into the archive buffer)
  size_t header_offset;  // offset of this entry's header block
  size_t next_offset;    // offset of the block after this entry's padded data
};

class Archive {
 public:
  class Iterator {
   public:
    const Entry& operator*() const { return entry_; }
    const Entry* operator->() const { return &entry_; }
    Iterator& operator++();
    bool operator==(const Iterator& other) const { return offset_ == other.offset_; }
    bool operator!=(const Iterator& other) const { return offset_ != other.offset_; }

   private:
    friend class Archive;
    Iterator(const Archive* archive, size_t offset);

    const Archive* archive_;
    size_t offset_;
    Entry entry_;
  };

  // Validates data[0, size) as a complete ustar archive. Errors: every ustar::Error except
  // kNameTooLong and kNotFound. Cost is quadratic in the number of entries (duplicate check).
  static Result<Archive, Error> Open(const uint8_t* data, size_t size);

  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, end_offset_); }

  // Finds the entry whose path is `path`; one leading and one trailing '/' are ignored, so
  // "/etc/" finds the directory "etc". Error::kNotFound otherwise.
  Result<Entry, Error> Lookup(const char* path, size_t length) const;
  Result<Entry, Error> Lookup(const char* path) const;  // NUL-terminated

  size_t entry_count() const { return entry_count_; }
  // Offset of the end-of-archive marker (= bytes used by entries).
  size_t end_offset() const { return end_offset_; }

 private:
  Archive(const uint8_t* data, size_t size, size_t end_offset, size_t entry_count)
      : data_(data), size_(size), end_offset_(end_offset), entry_count_(entry_count) {}

  const uint8_t* data_;
  size_t size_;
  size_t end_offset_;
  size_t entry_count_;
};

// Decodes the entry whose header starts at data[offset] and checks that its data and padding
// lie inside data[0, size). The building block of Archive::Open; exposed for tests and tools.
Result<Entry, Error> DecodeEntryAt(const uint8_t* data, size_t size, size_t offset);

}  // namespace hiillos::ustar
