// tools/symbols/ksyms_writer_test.cc — blob building, name shortening, and the real kernel.elf.
#include "tools/symbols/ksyms_writer.h"

#include <stdlib.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/ksyms/ksyms.h"
#include "tools/symbols/elf_symbols.h"

namespace hiillos::symbols {
namespace {

TEST(StripParameters, RemovesParameterListsAndQualifiers) {
  EXPECT_EQ(StripParameters("hiillos::arch::PerCpuInit(unsigned int, unsigned int)"),
            "hiillos::arch::PerCpuInit");
  EXPECT_EQ(StripParameters("hiillos::(anonymous namespace)::Foo::Bar() const"),
            "hiillos::(anonymous namespace)::Foo::Bar");
  EXPECT_EQ(StripParameters("Foo::operator()(int) const &"), "Foo::operator()");
  EXPECT_EQ(StripParameters("void Call<void (*)(int)>(void (*)(int))"), "void Call<void (*)(int)>");
  EXPECT_EQ(StripParameters("hiillos::Foo()::$_0::operator()() const"),
            "hiillos::Foo()::$_0::operator()");
  EXPECT_EQ(StripParameters("Foo(int) [clone .cold]"), "Foo [clone .cold]");
  EXPECT_EQ(StripParameters("hiillos::(anonymous namespace)::g_table"),
            "hiillos::(anonymous namespace)::g_table");
  EXPECT_EQ(StripParameters("KernelMain"), "KernelMain");
  EXPECT_EQ(StripParameters("Broken)"), "Broken)");
  EXPECT_EQ(StripParameters("(int)"), "(int)");
  EXPECT_EQ(StripParameters(""), "");
}

TEST(DisplayName, DemanglesCxxAndKeepsCNames) {
  EXPECT_EQ(DisplayName("_ZN7hiillos4arch10PerCpuInitEjj"), "hiillos::arch::PerCpuInit");
  EXPECT_EQ(DisplayName("KernelMain"), "KernelMain");
  EXPECT_EQ(DisplayName("_Znot_really_mangled"), "_Znot_really_mangled");
}

ElfSymbol Function(uint64_t address, uint64_t size, const std::string& name, bool global = true) {
  return ElfSymbol{name, address, size, true, global};
}

TEST(BuildKsyms, RoundTripsThroughTheKernelReader) {
  std::vector<ElfSymbol> symbols = {
      Function(0x3000, 0x10, "Third"),
      Function(0x1000, 0x20, "_ZN7hiillos4arch10PerCpuInitEjj"),
      Function(0x2000, 0x8, "Second"),
  };
  size_t needed = 0;
  auto blob = BuildKsyms(symbols, 4096, &needed);
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(blob.value().size(), 4096u);
  EXPECT_LT(needed, 4096u);
  auto table = ksyms::Table::Parse(blob.value().data(), blob.value().size());
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table.value().count(), 3u);
  // Sorted by address.
  EXPECT_EQ(table.value().At(0).value().address, 0x1000u);
  EXPECT_EQ(table.value().At(2).value().address, 0x3000u);
  auto hit = table.value().Lookup(0x1004);
  ASSERT_TRUE(hit.ok());
  EXPECT_STREQ(hit.value().name, "hiillos::arch::PerCpuInit");
  EXPECT_EQ(hit.value().offset, 4u);
  EXPECT_FALSE(table.value().Lookup(0x2008).ok());
}

TEST(BuildKsyms, OneEntryPerAddressPreferringFunctionsGlobalsAndSizes) {
  std::vector<ElfSymbol> symbols = {
      ElfSymbol{"an_object", 0x1000, 8, false, true},
      Function(0x1000, 0x10, "local_function", false),
      Function(0x1000, 0x10, "global_function", true),
      Function(0x2000, 0, "unsized"),
      Function(0x2000, 4, "sized"),
      // C1/C2 constructors: same address, same display name.
      Function(0x3000, 4, "_ZN3FooC2Ev"),
      Function(0x3000, 4, "_ZN3FooC1Ev"),
  };
  auto blob = BuildKsyms(symbols, 4096, nullptr);
  ASSERT_TRUE(blob.ok());
  auto table = ksyms::Table::Parse(blob.value().data(), blob.value().size());
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table.value().count(), 3u);
  EXPECT_STREQ(table.value().At(0).value().name, "global_function");
  EXPECT_STREQ(table.value().At(1).value().name, "sized");
  EXPECT_STREQ(table.value().At(2).value().name, "Foo::Foo");
}

TEST(BuildKsyms, SharesIdenticalNames) {
  std::vector<ElfSymbol> symbols = {Function(0x1000, 4, "_ZN3Foo3BarEi"),
                                    Function(0x2000, 4, "_ZN3Foo3BarEl")};
  size_t needed = 0;
  ASSERT_TRUE(BuildKsyms(symbols, 4096, &needed).ok());
  EXPECT_EQ(needed, sizeof(ksyms::Header) + 2 * sizeof(ksyms::Entry) + sizeof("Foo::Bar"));
}

TEST(BuildKsyms, TooLargeReportsTheNeededSize) {
  std::vector<ElfSymbol> symbols;
  for (int i = 0; i < 100; ++i)
    symbols.push_back(Function(0x1000 + i * 16, 16, "f" + std::to_string(i)));
  size_t needed = 0;
  auto blob = BuildKsyms(symbols, 1024, &needed);
  ASSERT_FALSE(blob.ok());
  EXPECT_EQ(blob.error(), WriterError::kTooLarge);
  EXPECT_GT(needed, 1024u);
  EXPECT_TRUE(BuildKsyms(symbols, needed, nullptr).ok()) << "exactly enough space is enough";
}

TEST(BuildKsyms, EmptyInputGivesAValidEmptyTable) {
  auto blob = BuildKsyms({}, 64, nullptr);
  ASSERT_TRUE(blob.ok());
  auto table = ksyms::Table::Parse(blob.value().data(), blob.value().size());
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table.value().count(), 0u);
}

TEST(BuildKsyms, SizesBeyond32BitsAreRejected) {
  auto blob = BuildKsyms({Function(0x1000, 1ull << 33, "huge")}, 4096, nullptr);
  ASSERT_FALSE(blob.ok());
  EXPECT_EQ(blob.error(), WriterError::kTooManySymbols);
}

// End to end: the kernel.elf that //kernel outputs carries a table matching its own .symtab.
TEST(KernelElf, EmbeddedTableMatchesTheSymbolTable) {
  const char* path = getenv("KERNEL_ELF");
  ASSERT_NE(path, nullptr);
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = ReadElfSymbols(file.data(), file.size());
  ASSERT_TRUE(parsed.ok()) << ElfErrorString(parsed.error());
  ASSERT_TRUE(parsed.value().has_ksyms);

  // Locate .ksyms in the file: the table is in the PT_LOAD data at the section's offset.
  const ElfSymbol* kernel_main = nullptr;
  uint64_t ksyms_file_offset = 0;
  for (const ElfSymbol& symbol : parsed.value().symbols) {
    if (symbol.name == "KernelMain") kernel_main = &symbol;
    if (symbol.name == "KsymsReserve") ksyms_file_offset = 1;  // marker: found below
  }
  ASSERT_NE(kernel_main, nullptr);
  ASSERT_EQ(ksyms_file_offset, 1u) << "KsymsReserve (ksyms_reserve.S) not linked";

  // Find the section's file offset by scanning for the magic at a 16-byte aligned offset.
  const uint32_t magic = ksyms::kMagic;
  bool found = false;
  for (size_t offset = 0; offset + 4 <= file.size(); offset += 16) {
    if (memcmp(file.data() + offset, &magic, 4) != 0) continue;
    if (file.size() - offset < parsed.value().ksyms_size) continue;
    auto table = ksyms::Table::Parse(file.data() + offset, parsed.value().ksyms_size);
    if (!table.ok()) continue;
    found = true;
    auto hit = table.value().Lookup(kernel_main->address + 1);
    ASSERT_TRUE(hit.ok());
    EXPECT_STREQ(hit.value().name, "KernelMain");
    EXPECT_EQ(hit.value().offset, 1u);
    EXPECT_GT(table.value().count(), 50u);
    break;
  }
  EXPECT_TRUE(found) << "no symbol table in kernel.elf's .ksyms";
}

}  // namespace
}  // namespace hiillos::symbols
