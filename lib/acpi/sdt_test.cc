// lib/acpi/sdt_test.cc — SDT header validation, table loading and the XSDT/RSDT walk.
#include "lib/acpi/sdt.h"

#include <gtest/gtest.h>

#include "lib/acpi/test_tables.h"

namespace hiillos::acpi {
namespace {

using testing::Bytes;
using testing::FakeMemory;
using testing::FixChecksum;
using testing::MakeRsdp;
using testing::MakeRsdt;
using testing::MakeXsdt;
using testing::TableBuilder;

Bytes SmallTable(const char* signature, uint32_t payload) {
  TableBuilder t(signature, 1);
  t.U32(payload);
  return t.Finish();
}

void SetLength(Bytes& b, uint32_t length) {
  for (int i = 0; i < 4; ++i) b[4 + i] = static_cast<uint8_t>(length >> (8 * i));
  FixChecksum(b, 9, b.size());
}

TEST(ByteView, LoadsAreLittleEndianAndBounded) {
  const uint8_t data[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  ByteView v(data, sizeof(data));
  EXPECT_EQ(v.U16(1).value(), 0x0302);
  EXPECT_EQ(v.U32(5).value(), 0x09080706u);
  EXPECT_EQ(v.U64(1).value(), 0x0908070605040302u);
  EXPECT_EQ(v.U64(2).error(), Error::kOutOfBounds);
  EXPECT_EQ(v.U8(9).error(), Error::kOutOfBounds);
  EXPECT_EQ(v.U8(~uint64_t{0}).error(), Error::kOutOfBounds);
  EXPECT_EQ(v.Sub(8, 2).error(), Error::kOutOfBounds);
  EXPECT_EQ(v.Sub(~uint64_t{0}, 2).error(), Error::kOutOfBounds);
  EXPECT_EQ(v.Sub(3, 6).value().size(), 6u);
  EXPECT_FALSE(v.Equals(8, "\x09\x0a", 2));
  EXPECT_TRUE(v.Equals(0, "\x01\x02", 2));
}

TEST(Sdt, ValidTable) {
  Bytes b = SmallTable("TEST", 0xdeadbeef);
  const Signature want("TEST");
  auto t = ValidateTable(ByteView(b.data(), b.size()), 0x5000, &want);
  ASSERT_TRUE(t.ok()) << ErrorString(t.error());
  EXPECT_EQ(t.value().phys, 0x5000u);
  EXPECT_EQ(t.value().header.length, 40u);
  EXPECT_EQ(t.value().header.revision, 1);
  EXPECT_EQ(memcmp(t.value().header.oem_table_id, "TESTTABL", 8), 0);
  EXPECT_EQ(t.value().bytes.size(), 40u);
  EXPECT_EQ(t.value().bytes.U32(36).value(), 0xdeadbeefu);
  EXPECT_TRUE(t.value().Is("TEST"));
  EXPECT_FALSE(t.value().Is("APIC"));
}

TEST(Sdt, ViewIsCutToLengthField) {
  Bytes b = SmallTable("TEST", 1);
  b.push_back(0xaa);  // trailing bytes after the table
  auto t = ValidateTable(ByteView(b.data(), b.size()), 0, nullptr);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value().bytes.size(), 40u);
}

TEST(Sdt, BadSignature) {
  Bytes b = SmallTable("TEST", 1);
  const Signature want("APIC");
  EXPECT_EQ(ValidateTable(ByteView(b.data(), b.size()), 0, &want).error(), Error::kBadSignature);
}

TEST(Sdt, BadChecksum) {
  Bytes b = SmallTable("TEST", 1);
  b[37] ^= 0x40;
  EXPECT_EQ(ValidateTable(ByteView(b.data(), b.size()), 0, nullptr).error(), Error::kBadChecksum);
  Options lax;
  lax.verify_checksums = false;
  EXPECT_TRUE(ValidateTable(ByteView(b.data(), b.size()), 0, nullptr, lax).ok());
}

TEST(Sdt, LengthBelowHeader) {
  for (uint32_t length : {0u, 1u, 35u}) {
    Bytes b = SmallTable("TEST", 1);
    SetLength(b, length);
    EXPECT_EQ(ValidateTable(ByteView(b.data(), b.size()), 0, nullptr).error(), Error::kBadLength)
        << length;
  }
}

TEST(Sdt, LengthPastBuffer) {
  Bytes b = SmallTable("TEST", 1);
  SetLength(b, 41);
  EXPECT_EQ(ValidateTable(ByteView(b.data(), b.size()), 0, nullptr).error(), Error::kOutOfBounds);
}

TEST(Sdt, BufferShorterThanHeader) {
  Bytes b = SmallTable("TEST", 1);
  EXPECT_EQ(ValidateTable(ByteView(b.data(), 35), 0, nullptr).error(), Error::kOutOfBounds);
}

TEST(Sdt, LoadFromMemory) {
  FakeMemory memory(0x1000);
  memory.Place(0x123, SmallTable("HPET", 7));  // deliberately unaligned
  const Signature want("HPET");
  auto t = LoadTable(memory.Reader(), 0x123, &want);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value().bytes.U32(36).value(), 7u);
}

TEST(Sdt, LoadLengthPastEndOfMemory) {
  FakeMemory memory(0x100);
  Bytes b = SmallTable("TEST", 1);
  SetLength(b, 0x100);  // the table claims to run past the end of memory
  memory.Place(0xc0, b);
  EXPECT_EQ(LoadTable(memory.Reader(), 0xc0, nullptr).error(), Error::kReadFailed);
}

TEST(Sdt, LoadHugeLengthFailsBeforeReading) {
  FakeMemory memory(0x100);
  Bytes b = SmallTable("TEST", 1);
  SetLength(b, 0xffffffff);
  memory.Place(0, b);
  EXPECT_EQ(LoadTable(memory.Reader(), 0, nullptr).error(), Error::kTableTooLarge);
  EXPECT_EQ(memory.max_read_length(), kSdtHeaderSize);
}

TEST(Sdt, LoadWrongSignatureFailsBeforeReadingBody) {
  FakeMemory memory(0x100);
  Bytes b = SmallTable("TEST", 1);
  SetLength(b, 0xffff);
  memory.Place(0, b);
  const Signature want("APIC");
  EXPECT_EQ(LoadTable(memory.Reader(), 0, &want).error(), Error::kBadSignature);
  EXPECT_EQ(memory.max_read_length(), kSdtHeaderSize);
}

TEST(Sdt, LoadHeaderPastEndOfMemory) {
  FakeMemory memory(0x100);
  EXPECT_EQ(LoadTable(memory.Reader(), 0xf0, nullptr).error(), Error::kReadFailed);
  EXPECT_EQ(LoadTable(memory.Reader(), ~uint64_t{0} - 8, nullptr).error(), Error::kReadFailed);
}

// Memory with an XSDT at 0x100 (entries at 0x200, 0x300, 0x400, 0x500) and an RSDT at 0x180.
FakeMemory RootMemory() {
  FakeMemory memory(0x1000);
  memory.Place(0x0, MakeRsdp(2, 0x180, 0x100));
  memory.Place(0x100, MakeXsdt({0x200, 0x300, 0, 0x400, 0xfffff000, 0x500}));
  memory.Place(0x180, MakeRsdt({0x200, 0x300}));
  memory.Place(0x200, SmallTable("SSDT", 1));
  memory.Place(0x300, SmallTable("APIC", 2));
  memory.Place(0x400, SmallTable("SSDT", 3));
  memory.Place(0x500, SmallTable("HPET", 4));
  return memory;
}

Rsdp ReadTestRsdp(FakeMemory& memory) {
  return ReadRsdp(memory.Reader(), 0).value();
}

TEST(RootTable, XsdtEntriesAndFind) {
  FakeMemory memory = RootMemory();
  auto root = RootTable::Load(memory.Reader(), ReadTestRsdp(memory));
  ASSERT_TRUE(root.ok()) << ErrorString(root.error());
  EXPECT_TRUE(root.value().is_xsdt());
  EXPECT_EQ(root.value().EntryCount(), 6u);
  EXPECT_EQ(root.value().Entry(4).value(), 0xfffff000u);
  EXPECT_EQ(root.value().Entry(6).error(), Error::kOutOfBounds);

  auto ssdt1 = root.value().FindTable(memory.Reader(), "SSDT", 1);
  ASSERT_TRUE(ssdt1.ok());
  EXPECT_EQ(ssdt1.value().phys, 0x400u);
  EXPECT_EQ(ssdt1.value().bytes.U32(36).value(), 3u);
  // The unreadable entry (0xfffff000) and the null one are skipped.
  auto hpet = root.value().FindTable(memory.Reader(), "HPET", 0);
  ASSERT_TRUE(hpet.ok());
  EXPECT_EQ(hpet.value().phys, 0x500u);
  EXPECT_EQ(root.value().FindTable(memory.Reader(), "SSDT", 2).error(), Error::kNotFound);
  EXPECT_EQ(root.value().FindTable(memory.Reader(), "MCFG", 0).error(), Error::kNotFound);
}

TEST(RootTable, RsdtWhenNoXsdt) {
  FakeMemory memory = RootMemory();
  memory.Place(0x0, MakeRsdp(0, 0x180, 0));
  auto root = RootTable::Load(memory.Reader(), ReadTestRsdp(memory));
  ASSERT_TRUE(root.ok());
  EXPECT_FALSE(root.value().is_xsdt());
  EXPECT_EQ(root.value().EntryCount(), 2u);
  EXPECT_EQ(root.value().FindTable(memory.Reader(), "APIC", 0).value().phys, 0x300u);
}

TEST(RootTable, UnalignedXsdtEntries) {
  FakeMemory memory = RootMemory();
  memory.Place(0x0, MakeRsdp(2, 0, 0x603));
  memory.Place(0x603, MakeXsdt({0x300}));
  auto root = RootTable::Load(memory.Reader(), ReadTestRsdp(memory));
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root.value().FindTable(memory.Reader(), "APIC", 0).value().phys, 0x300u);
}

TEST(RootTable, NoRootTable) {
  FakeMemory memory = RootMemory();
  memory.Place(0x0, MakeRsdp(0, 0, 0));
  EXPECT_EQ(RootTable::Load(memory.Reader(), ReadTestRsdp(memory)).error(), Error::kNoRootTable);
}

TEST(RootTable, WrongRootSignature) {
  FakeMemory memory = RootMemory();
  memory.Place(0x0, MakeRsdp(2, 0, 0x200));  // points at the SSDT
  EXPECT_EQ(RootTable::Load(memory.Reader(), ReadTestRsdp(memory)).error(), Error::kBadSignature);
  // An RSDT where an XSDT is expected (8-byte vs 4-byte entries) is also refused.
  memory.Place(0x0, MakeRsdp(2, 0, 0x180));
  EXPECT_EQ(RootTable::Load(memory.Reader(), ReadTestRsdp(memory)).error(), Error::kBadSignature);
}

TEST(RootTable, PartialEntry) {
  FakeMemory memory = RootMemory();
  TableBuilder xsdt("XSDT", 1);
  xsdt.U64(0x200).U32(0x300);  // 12 bytes: one and a half entries
  memory.Place(0x600, xsdt.Finish());
  memory.Place(0x0, MakeRsdp(2, 0, 0x600));
  EXPECT_EQ(RootTable::Load(memory.Reader(), ReadTestRsdp(memory)).error(), Error::kBadLength);
}

TEST(RootTable, BadChecksumOnRoot) {
  FakeMemory memory = RootMemory();
  memory.bytes()[0x100 + 40] ^= 1;
  EXPECT_EQ(RootTable::Load(memory.Reader(), ReadTestRsdp(memory)).error(), Error::kBadChecksum);
}

TEST(RootTable, MatchingTableThatFailsValidationIsAnError) {
  FakeMemory memory = RootMemory();
  memory.bytes()[0x300 + 36] ^= 1;  // break the APIC checksum
  auto root = RootTable::Load(memory.Reader(), ReadTestRsdp(memory));
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root.value().FindTable(memory.Reader(), "APIC", 0).error(), Error::kBadChecksum);
  // Other tables are unaffected.
  EXPECT_TRUE(root.value().FindTable(memory.Reader(), "HPET", 0).ok());
}

TEST(RootTable, EmptyRoot) {
  FakeMemory memory = RootMemory();
  memory.Place(0x600, MakeXsdt({}));
  memory.Place(0x0, MakeRsdp(2, 0, 0x600));
  auto root = RootTable::Load(memory.Reader(), ReadTestRsdp(memory));
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root.value().EntryCount(), 0u);
  EXPECT_EQ(root.value().FindTable(memory.Reader(), "APIC", 0).error(), Error::kNotFound);
}

}  // namespace
}  // namespace hiillos::acpi
