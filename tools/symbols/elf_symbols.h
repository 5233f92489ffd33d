// tools/symbols/elf_symbols.h — reads function/object symbols and the .ksyms section from an ELF64.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "lib/base/result.h"

namespace hiillos::symbols {

enum class ElfError : uint8_t {
  kNotElf64,         // bad magic, not ELFCLASS64 little-endian
  kBadSectionTable,  // section headers outside the file or of the wrong size
  kNoSymbolTable,    // no SHT_SYMTAB (stripped)
  kBadSymbolTable,   // symbol/string table outside the file or malformed
};

const char* ElfErrorString(ElfError error);

struct ElfSymbol {
  std::string name;  // raw (mangled) name
  uint64_t address;
  uint64_t size;
  bool function;  // STT_FUNC (else STT_OBJECT)
  bool global;    // STB_GLOBAL or STB_WEAK
};

struct ElfSymbols {
  std::vector<ElfSymbol> symbols;  // defined STT_FUNC/STT_OBJECT symbols with an address
  bool has_ksyms = false;          // the .ksyms section, if any
  uint64_t ksyms_address = 0;
  uint64_t ksyms_size = 0;
};

// Parses `data` (a whole ELF file). Every offset and size is checked against the file; a file
// without .ksyms is fine here (has_ksyms = false).
Result<ElfSymbols, ElfError> ReadElfSymbols(const uint8_t* data, size_t size);

}  // namespace hiillos::symbols
