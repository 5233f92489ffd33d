// tools/symbols/elf_symbols_test.cc — ELF symbol reading on a real binary and on broken files.
#include "tools/symbols/elf_symbols.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace hiillos::symbols {
namespace {

std::vector<uint8_t> ReadFile(const char* env) {
  const char* path = getenv(env);
  EXPECT_NE(path, nullptr) << env;
  std::ifstream in(path != nullptr ? path : "", std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

const ElfSymbol* Find(const ElfSymbols& symbols, const std::string& name) {
  for (const ElfSymbol& symbol : symbols.symbols) {
    if (symbol.name == name) return &symbol;
  }
  return nullptr;
}

TEST(ElfSymbols, ReadsARealBinary) {
  auto file = ReadFile("SAMPLE_BINARY");
  ASSERT_FALSE(file.empty());
  auto parsed = ReadElfSymbols(file.data(), file.size());
  ASSERT_TRUE(parsed.ok()) << ElfErrorString(parsed.error());
  const ElfSymbols& symbols = parsed.value();

  const ElfSymbol* c_function = Find(symbols, "SampleCFunction");
  ASSERT_NE(c_function, nullptr);
  EXPECT_TRUE(c_function->function);
  EXPECT_TRUE(c_function->global);
  EXPECT_GT(c_function->size, 0u);

  const ElfSymbol* mangled = Find(symbols, "_ZN6sample18NamespacedFunctionEiPKc");
  ASSERT_NE(mangled, nullptr);
  EXPECT_TRUE(mangled->function);

  const ElfSymbol* object = Find(symbols, "g_sample_object");
  ASSERT_NE(object, nullptr);
  EXPECT_FALSE(object->function);
  EXPECT_EQ(object->size, 32u);

  EXPECT_TRUE(symbols.has_ksyms);
  EXPECT_EQ(symbols.ksyms_size, 8192u);
  EXPECT_EQ(Find(symbols, "printf"), nullptr) << "undefined symbols are skipped";
}

TEST(ElfSymbols, RejectsNonElf) {
  std::vector<uint8_t> text(200, 'a');
  EXPECT_EQ(ReadElfSymbols(text.data(), text.size()).error(), ElfError::kNotElf64);
  EXPECT_EQ(ReadElfSymbols(nullptr, 0).error(), ElfError::kNotElf64);
  auto file = ReadFile("SAMPLE_BINARY");
  ASSERT_GT(file.size(), sizeof(Elf64_Ehdr));
  EXPECT_EQ(ReadElfSymbols(file.data(), sizeof(Elf64_Ehdr) - 1).error(), ElfError::kNotElf64);
  auto elf32 = file;
  elf32[EI_CLASS] = ELFCLASS32;
  EXPECT_EQ(ReadElfSymbols(elf32.data(), elf32.size()).error(), ElfError::kNotElf64);
}

TEST(ElfSymbols, TruncatedFilesFailCleanly) {
  auto file = ReadFile("SAMPLE_BINARY");
  ASSERT_FALSE(file.empty());
  // Every prefix either parses or fails with an error; never reads past the end (ASan checks).
  size_t step = file.size() / 97 + 1;
  for (size_t length = 0; length < file.size(); length += step) {
    std::vector<uint8_t> prefix(file.begin(), file.begin() + static_cast<long>(length));
    auto parsed = ReadElfSymbols(prefix.data(), prefix.size());
    if (length < file.size() / 2) EXPECT_FALSE(parsed.ok()) << length;
  }
}

TEST(ElfSymbols, CorruptSectionTable) {
  auto file = ReadFile("SAMPLE_BINARY");
  Elf64_Ehdr header;
  memcpy(&header, file.data(), sizeof(header));

  auto bad = file;
  Elf64_Ehdr changed = header;
  changed.e_shoff = file.size() - 10;
  memcpy(bad.data(), &changed, sizeof(changed));
  EXPECT_EQ(ReadElfSymbols(bad.data(), bad.size()).error(), ElfError::kBadSectionTable);

  changed = header;
  changed.e_shentsize = 32;
  memcpy(bad.data(), &changed, sizeof(changed));
  EXPECT_EQ(ReadElfSymbols(bad.data(), bad.size()).error(), ElfError::kBadSectionTable);

  changed = header;
  changed.e_shstrndx = header.e_shnum;
  memcpy(bad.data(), &changed, sizeof(changed));
  EXPECT_EQ(ReadElfSymbols(bad.data(), bad.size()).error(), ElfError::kBadSectionTable);
}

// Rewrites one field of the first section header of `type`.
template <typename Mutate>
std::vector<uint8_t> WithSection(std::vector<uint8_t> file, uint32_t type, Mutate mutate) {
  Elf64_Ehdr header;
  memcpy(&header, file.data(), sizeof(header));
  for (size_t i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr section;
    size_t at = header.e_shoff + i * sizeof(Elf64_Shdr);
    memcpy(&section, file.data() + at, sizeof(section));
    if (section.sh_type != type) continue;
    mutate(section);
    memcpy(file.data() + at, &section, sizeof(section));
    break;
  }
  return file;
}

TEST(ElfSymbols, CorruptSymbolTable) {
  auto file = ReadFile("SAMPLE_BINARY");
  auto stripped = WithSection(file, SHT_SYMTAB, [](Elf64_Shdr& s) { s.sh_type = SHT_PROGBITS; });
  EXPECT_EQ(ReadElfSymbols(stripped.data(), stripped.size()).error(), ElfError::kNoSymbolTable);

  auto huge = WithSection(file, SHT_SYMTAB, [](Elf64_Shdr& s) { s.sh_size = ~0ull - 8; });
  EXPECT_EQ(ReadElfSymbols(huge.data(), huge.size()).error(), ElfError::kBadSymbolTable);

  auto entsize = WithSection(file, SHT_SYMTAB, [](Elf64_Shdr& s) { s.sh_entsize = 16; });
  EXPECT_EQ(ReadElfSymbols(entsize.data(), entsize.size()).error(), ElfError::kBadSymbolTable);

  auto link = WithSection(file, SHT_SYMTAB, [](Elf64_Shdr& s) { s.sh_link = 0xffff; });
  EXPECT_EQ(ReadElfSymbols(link.data(), link.size()).error(), ElfError::kBadSymbolTable);

  // A string table too short for the names: some name offset falls outside it.
  Elf64_Ehdr header;
  memcpy(&header, file.data(), sizeof(header));
  for (size_t i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr symtab;
    memcpy(&symtab, file.data() + header.e_shoff + i * sizeof(Elf64_Shdr), sizeof(symtab));
    if (symtab.sh_type != SHT_SYMTAB) continue;
    size_t at = header.e_shoff + symtab.sh_link * sizeof(Elf64_Shdr);
    Elf64_Shdr strtab;
    memcpy(&strtab, file.data() + at, sizeof(strtab));
    strtab.sh_size = 4;
    memcpy(file.data() + at, &strtab, sizeof(strtab));
  }
  EXPECT_EQ(ReadElfSymbols(file.data(), file.size()).error(), ElfError::kBadSymbolTable);
}

TEST(ElfSymbols, ErrorStringsExist) {
  for (ElfError e : {ElfError::kNotElf64, ElfError::kBadSectionTable, ElfError::kNoSymbolTable,
                     ElfError::kBadSymbolTable}) {
    EXPECT_GT(strlen(ElfErrorString(e)), 5u);
  }
}

}  // namespace
}  // namespace hiillos::symbols
