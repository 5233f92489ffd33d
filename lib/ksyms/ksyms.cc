// lib/ksyms/ksyms.cc — bounds-checked reading of the embedded symbol table.
#include "lib/ksyms/ksyms.h"

namespace hiillos::ksyms {

const char* ErrorString(Error error) {
  switch (error) {
    case Error::kTooSmall:
      return "symbol table smaller than its header";
    case Error::kBadMagic:
      return "no symbol table (bad magic)";
    case Error::kBadVersion:
      return "unsupported symbol table version";
    case Error::kEntriesOutOfBounds:
      return "symbol entries out of bounds";
    case Error::kStringsOutOfBounds:
      return "symbol names out of bounds";
    case Error::kNameOutOfBounds:
      return "symbol name offset out of bounds";
    case Error::kNotFound:
      return "no symbol";
  }
  return "unknown symbol table error";
}

Result<Table, Error> Table::Parse(const uint8_t* data, size_t size) {
  if (data == nullptr || size < sizeof(Header)) return Err{Error::kTooSmall};
  Header header;
  __builtin_memcpy(&header, data, sizeof(header));
  if (header.magic != kMagic) return Err{Error::kBadMagic};
  if (header.version != kVersion) return Err{Error::kBadVersion};
  uint64_t entries_end = sizeof(Header) + static_cast<uint64_t>(header.count) * sizeof(Entry);
  if (entries_end > size) return Err{Error::kEntriesOutOfBounds};
  uint64_t strings_end = static_cast<uint64_t>(header.strings_offset) + header.strings_size;
  if (header.strings_size == 0 || header.strings_offset < entries_end || strings_end > size ||
      data[strings_end - 1] != '\0') {
    return Err{Error::kStringsOutOfBounds};
  }
  return Table(data, header.count, header.strings_offset, header.strings_size);
}

Entry Table::EntryAt(uint32_t index) const {
  Entry entry;
  __builtin_memcpy(&entry, data_ + sizeof(Header) + static_cast<size_t>(index) * sizeof(Entry),
                   sizeof(entry));
  return entry;
}

Result<Symbol, Error> Table::At(uint32_t index) const {
  if (index >= count_) return Err{Error::kNotFound};
  Entry entry = EntryAt(index);
  // The string area ends with a NUL, so any offset inside it starts a terminated name.
  if (entry.name_offset >= strings_size_) return Err{Error::kNameOutOfBounds};
  const char* name = reinterpret_cast<const char*>(data_ + strings_offset_ + entry.name_offset);
  return Symbol{name, entry.address, entry.size};
}

Result<Hit, Error> Table::Lookup(uint64_t address) const {
  // Find the last entry with entry.address <= address.
  uint32_t low = 0, high = count_;
  while (low < high) {
    uint32_t middle = low + (high - low) / 2;
    if (EntryAt(middle).address <= address) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  if (low == 0) return Err{Error::kNotFound};
  Symbol symbol = TRY(At(low - 1));
  uint64_t offset = address - symbol.address;
  if (symbol.size != 0 && offset >= symbol.size) return Err{Error::kNotFound};
  return Hit{symbol.name, symbol.address, offset};
}

}  // namespace hiillos::ksyms
