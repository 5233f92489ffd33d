// tools/symbols/elf_symbols.cc — bounds-checked ELF64 section/symbol table reading (host tool).
#include "tools/symbols/elf_symbols.h"

#include <elf.h>
#include <string.h>

namespace hiillos::symbols {
namespace {

bool Inside(uint64_t offset, uint64_t length, size_t size) {
  return offset <= size && length <= size - offset;
}

template <typename T>
T Load(const uint8_t* data, uint64_t offset) {
  T value;
  memcpy(&value, data + offset, sizeof(T));
  return value;
}

// The NUL-terminated string at `offset` inside the string table [start, start + length).
bool StringAt(const uint8_t* data, uint64_t start, uint64_t length, uint64_t offset,
              std::string* out) {
  if (offset >= length) return false;
  const char* begin = reinterpret_cast<const char*>(data + start + offset);
  const void* nul = memchr(begin, '\0', length - offset);
  if (nul == nullptr) return false;
  out->assign(begin, static_cast<const char*>(nul));
  return true;
}

}  // namespace

const char* ElfErrorString(ElfError error) {
  switch (error) {
    case ElfError::kNotElf64:
      return "not a little-endian ELF64 file";
    case ElfError::kBadSectionTable:
      return "section header table is malformed";
    case ElfError::kNoSymbolTable:
      return "no .symtab (was the kernel stripped?)";
    case ElfError::kBadSymbolTable:
      return "symbol or string table is malformed";
  }
  return "unknown error";
}

Result<ElfSymbols, ElfError> ReadElfSymbols(const uint8_t* data, size_t size) {
  if (data == nullptr || size < sizeof(Elf64_Ehdr)) return Err{ElfError::kNotElf64};
  auto header = Load<Elf64_Ehdr>(data, 0);
  if (memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_ident[EI_DATA] != ELFDATA2LSB) {
    return Err{ElfError::kNotElf64};
  }
  if (header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shnum == 0 ||
      !Inside(header.e_shoff, uint64_t{header.e_shnum} * sizeof(Elf64_Shdr), size) ||
      header.e_shstrndx >= header.e_shnum) {
    return Err{ElfError::kBadSectionTable};
  }
  std::vector<Elf64_Shdr> sections(header.e_shnum);
  for (size_t i = 0; i < sections.size(); ++i) {
    sections[i] = Load<Elf64_Shdr>(data, header.e_shoff + i * sizeof(Elf64_Shdr));
  }
  const Elf64_Shdr& names = sections[header.e_shstrndx];
  if (!Inside(names.sh_offset, names.sh_size, size)) return Err{ElfError::kBadSectionTable};

  ElfSymbols result;
  bool found_ksyms = false;
  const Elf64_Shdr* symtab = nullptr;
  for (const Elf64_Shdr& section : sections) {
    std::string name;
    if (section.sh_type == SHT_SYMTAB && symtab == nullptr) symtab = &section;
    if (StringAt(data, names.sh_offset, names.sh_size, section.sh_name, &name) &&
        name == ".ksyms") {
      found_ksyms = true;
      result.ksyms_address = section.sh_addr;
      result.ksyms_size = section.sh_size;
    }
  }
  if (symtab == nullptr) return Err{ElfError::kNoSymbolTable};
  if (symtab->sh_entsize != sizeof(Elf64_Sym) || symtab->sh_link >= sections.size() ||
      !Inside(symtab->sh_offset, symtab->sh_size, size) ||
      symtab->sh_size % sizeof(Elf64_Sym) != 0) {
    return Err{ElfError::kBadSymbolTable};
  }
  const Elf64_Shdr& strtab = sections[symtab->sh_link];
  if (!Inside(strtab.sh_offset, strtab.sh_size, size)) return Err{ElfError::kBadSymbolTable};

  for (uint64_t offset = 0; offset < symtab->sh_size; offset += sizeof(Elf64_Sym)) {
    auto symbol = Load<Elf64_Sym>(data, symtab->sh_offset + offset);
    int type = ELF64_ST_TYPE(symbol.st_info);
    int binding = ELF64_ST_BIND(symbol.st_info);
    if (type != STT_FUNC && type != STT_OBJECT) continue;
    if (symbol.st_shndx == SHN_UNDEF || symbol.st_shndx >= SHN_LORESERVE) continue;
    if (symbol.st_value == 0) continue;
    ElfSymbol out;
    if (!StringAt(data, strtab.sh_offset, strtab.sh_size, symbol.st_name, &out.name)) {
      return Err{ElfError::kBadSymbolTable};
    }
    if (out.name.empty()) continue;
    out.address = symbol.st_value;
    out.size = symbol.st_size;
    out.function = type == STT_FUNC;
    out.global = binding == STB_GLOBAL || binding == STB_WEAK;
    result.symbols.push_back(std::move(out));
  }
  result.has_ksyms = found_ksyms;
  return result;
}

}  // namespace hiillos::symbols
