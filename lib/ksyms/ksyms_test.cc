// lib/ksyms/ksyms_test.cc — host tests for the symbol-table reader: lookups and every bound.
#include "lib/ksyms/ksyms.h"

#include <string.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace hiillos::ksyms {
namespace {

struct TestSymbol {
  uint64_t address;
  uint32_t size;
  std::string name;
};

// Lays out a blob the way tools/symbols does (kept independent on purpose).
std::vector<uint8_t> MakeBlob(const std::vector<TestSymbol>& symbols, size_t padding = 0) {
  std::string strings;
  std::vector<Entry> entries;
  for (const TestSymbol& s : symbols) {
    entries.push_back(Entry{s.address, s.size, static_cast<uint32_t>(strings.size())});
    strings += s.name;
    strings.push_back('\0');
  }
  if (strings.empty()) strings.push_back('\0');
  Header header{};
  header.magic = kMagic;
  header.version = kVersion;
  header.count = static_cast<uint32_t>(entries.size());
  header.strings_offset = static_cast<uint32_t>(sizeof(Header) + entries.size() * sizeof(Entry));
  header.strings_size = static_cast<uint32_t>(strings.size());
  std::vector<uint8_t> blob(header.strings_offset + strings.size() + padding, 0);
  memcpy(blob.data(), &header, sizeof(header));
  if (!entries.empty()) {
    memcpy(blob.data() + sizeof(Header), entries.data(), entries.size() * sizeof(Entry));
  }
  memcpy(blob.data() + header.strings_offset, strings.data(), strings.size());
  return blob;
}

Header HeaderOf(const std::vector<uint8_t>& blob) {
  Header header;
  memcpy(&header, blob.data(), sizeof(header));
  return header;
}
void SetHeader(std::vector<uint8_t>& blob, const Header& header) {
  memcpy(blob.data(), &header, sizeof(header));
}

const std::vector<TestSymbol> kSymbols = {
    {0x1000, 0x20, "First"},
    {0x1020, 0x10, "Second"},
    {0x1040, 0, "Unsized"},
    {0x2000, 0x8, "Last"},
};

TEST(Ksyms, LookupFindsTheCoveringSymbol) {
  auto blob = MakeBlob(kSymbols, 64);
  auto table = Table::Parse(blob.data(), blob.size());
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table.value().count(), 4u);

  struct Case {
    uint64_t address;
    const char* name;
    uint64_t symbol_address;
  };
  const Case cases[] = {
      {0x1000, "First", 0x1000},
      {0x101f, "First", 0x1000},
      {0x1020, "Second", 0x1020},
      {0x1024, "Second", 0x1020},
      {0x1040, "Unsized", 0x1040},
      {0x1fff, "Unsized", 0x1040},  // an unsized symbol covers everything up to the next one
      {0x2000, "Last", 0x2000},
      {0x2007, "Last", 0x2000},
  };
  for (const Case& c : cases) {
    auto hit = table.value().Lookup(c.address);
    ASSERT_TRUE(hit.ok()) << std::hex << c.address;
    EXPECT_STREQ(hit.value().name, c.name);
    EXPECT_EQ(hit.value().symbol_address, c.symbol_address);
    EXPECT_EQ(hit.value().offset, c.address - c.symbol_address);
  }
}

TEST(Ksyms, LookupMisses) {
  auto blob = MakeBlob(kSymbols);
  auto table = Table::Parse(blob.data(), blob.size());
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table.value().Lookup(0xfff).error(), Error::kNotFound);   // below the first
  EXPECT_EQ(table.value().Lookup(0x2008).error(), Error::kNotFound);  // past a sized symbol
  EXPECT_EQ(table.value().Lookup(0).error(), Error::kNotFound);
  EXPECT_EQ(table.value().Lookup(~0ull).error(), Error::kNotFound);
}

TEST(Ksyms, EmptyTableParsesAndFindsNothing) {
  auto blob = MakeBlob({});
  auto table = Table::Parse(blob.data(), blob.size());
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table.value().count(), 0u);
  EXPECT_EQ(table.value().Lookup(0x1000).error(), Error::kNotFound);
  EXPECT_EQ(table.value().At(0).error(), Error::kNotFound);
}

TEST(Ksyms, UnfilledReserveIsBadMagic) {
  std::vector<uint8_t> zeros(4096, 0);
  EXPECT_EQ(Table::Parse(zeros.data(), zeros.size()).error(), Error::kBadMagic);
}

TEST(Ksyms, HeaderErrors) {
  auto blob = MakeBlob(kSymbols);
  EXPECT_EQ(Table::Parse(nullptr, 100).error(), Error::kTooSmall);
  EXPECT_EQ(Table::Parse(blob.data(), sizeof(Header) - 1).error(), Error::kTooSmall);

  auto bad = blob;
  Header header = HeaderOf(bad);
  header.version = 2;
  SetHeader(bad, header);
  EXPECT_EQ(Table::Parse(bad.data(), bad.size()).error(), Error::kBadVersion);

  bad = blob;
  header = HeaderOf(bad);
  header.count = 0xffff'ffff;  // 64 GiB of entries
  SetHeader(bad, header);
  EXPECT_EQ(Table::Parse(bad.data(), bad.size()).error(), Error::kEntriesOutOfBounds);
}

TEST(Ksyms, StringAreaErrors) {
  auto blob = MakeBlob(kSymbols);
  Header good = HeaderOf(blob);

  auto bad = blob;
  Header header = good;
  header.strings_size += 1;  // one byte past the end
  SetHeader(bad, header);
  EXPECT_EQ(Table::Parse(bad.data(), bad.size()).error(), Error::kStringsOutOfBounds);

  header = good;
  header.strings_offset = 0xffff'fff0;
  header.strings_size = 0x20;  // offset + size wraps 32 bits
  SetHeader(bad, header);
  EXPECT_EQ(Table::Parse(bad.data(), bad.size()).error(), Error::kStringsOutOfBounds);

  header = good;
  header.strings_offset = sizeof(Header);  // overlaps the entries
  SetHeader(bad, header);
  EXPECT_EQ(Table::Parse(bad.data(), bad.size()).error(), Error::kStringsOutOfBounds);

  header = good;
  header.strings_size = 0;
  SetHeader(bad, header);
  EXPECT_EQ(Table::Parse(bad.data(), bad.size()).error(), Error::kStringsOutOfBounds);

  bad = blob;
  bad.back() = 'x';  // the string area must end with NUL
  EXPECT_EQ(Table::Parse(bad.data(), bad.size()).error(), Error::kStringsOutOfBounds);
}

TEST(Ksyms, NameOffsetOutOfBounds) {
  auto blob = MakeBlob(kSymbols);
  Entry entry;
  memcpy(&entry, blob.data() + sizeof(Header) + sizeof(Entry), sizeof(entry));
  entry.name_offset = HeaderOf(blob).strings_size;  // one past the last byte
  memcpy(blob.data() + sizeof(Header) + sizeof(Entry), &entry, sizeof(entry));
  auto table = Table::Parse(blob.data(), blob.size());
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table.value().Lookup(0x1020).error(), Error::kNameOutOfBounds);
  EXPECT_EQ(table.value().At(1).error(), Error::kNameOutOfBounds);
  EXPECT_TRUE(table.value().Lookup(0x1000).ok());
}

TEST(Ksyms, ErrorStringsAreDistinct) {
  const Error all[] = {Error::kTooSmall,
                       Error::kBadMagic,
                       Error::kBadVersion,
                       Error::kEntriesOutOfBounds,
                       Error::kStringsOutOfBounds,
                       Error::kNameOutOfBounds,
                       Error::kNotFound};
  for (Error a : all) {
    for (Error b : all) {
      if (a != b) EXPECT_STRNE(ErrorString(a), ErrorString(b));
    }
  }
}

}  // namespace
}  // namespace hiillos::ksyms
