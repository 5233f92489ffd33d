// lib/ksyms/ksyms.h — the embedded kernel symbol table: blob format and a bounds-checked reader.
//
// tools/symbols writes the blob (from the linked kernel's .symtab) into the kernel's reserved
// .ksyms section; the panic path reads it to turn return addresses into `Name+0x12`. The reader
// treats the blob as untrusted bytes: every offset is checked, lookups never read outside it.
//
// Layout (little-endian): Header at 0, `count` Entry records sorted by address right after it,
// then `strings_size` bytes of NUL-terminated names at `strings_offset` (last byte NUL); the
// rest of the reserved section is zero padding.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"

namespace hiillos::ksyms {

inline constexpr uint32_t kMagic = 0x4d59'534b;  // "KSYM"
inline constexpr uint32_t kVersion = 1;

struct Header {
  uint32_t magic;
  uint32_t version;
  uint32_t count;           // number of entries
  uint32_t strings_offset;  // from the start of the blob
  uint32_t strings_size;
  uint32_t reserved[3];
};
static_assert(sizeof(Header) == 32);

struct Entry {
  uint64_t address;
  uint32_t size;         // bytes; 0 = unknown (covers up to the next symbol)
  uint32_t name_offset;  // into the string area
};
static_assert(sizeof(Entry) == 16);

enum class Error : uint8_t {
  kTooSmall,  // shorter than a header
  kBadMagic,  // not a symbol table (e.g. the unfilled, all-zero reserve)
  kBadVersion,
  kEntriesOutOfBounds,  // count * 16 does not fit
  kStringsOutOfBounds,  // string area outside the blob, empty, or not NUL-terminated
  kNameOutOfBounds,     // an entry's name offset is outside the string area
  kNotFound,            // no symbol covers the address
};

const char* ErrorString(Error error);

struct Symbol {
  const char* name;
  uint64_t address;
  uint32_t size;
};

struct Hit {
  const char* name;
  uint64_t symbol_address;
  uint64_t offset;  // address - symbol_address
};

class Table {
 public:
  // Checks the header and bounds in O(1); the data must outlive the Table.
  static Result<Table, Error> Parse(const uint8_t* data, size_t size);

  uint32_t count() const { return count_; }
  Result<Symbol, Error> At(uint32_t index) const;
  // The symbol covering `address`: the last entry at or below it, if its size covers it (or its
  // size is 0). O(log n).
  Result<Hit, Error> Lookup(uint64_t address) const;

 private:
  Table(const uint8_t* data, uint32_t count, uint32_t strings_offset, uint32_t strings_size)
      : data_(data), count_(count), strings_offset_(strings_offset), strings_size_(strings_size) {}
  Entry EntryAt(uint32_t index) const;

  const uint8_t* data_;
  uint32_t count_;
  uint32_t strings_offset_;
  uint32_t strings_size_;
};

}  // namespace hiillos::ksyms
