// lib/acpi/hpet_mcfg_test.cc — HPET and MCFG decoding, including every rejection.
#include <gtest/gtest.h>

#include "lib/acpi/hpet.h"
#include "lib/acpi/mcfg.h"
#include "lib/acpi/test_tables.h"

namespace hiillos::acpi {
namespace {

using testing::Bytes;
using testing::MakeHpet;
using testing::MakeMcfg;
using testing::McfgEntry;
using testing::TableBuilder;

Result<Table, Error> AsTable(const Bytes& b) {
  return ValidateTable(ByteView(b.data(), b.size()), 0, nullptr);
}

Result<Hpet, Error> ParseHpetBytes(const Bytes& b) {
  auto table = AsTable(b);
  EXPECT_TRUE(table.ok());
  if (!table.ok()) return Err(table.error());
  return ParseHpet(table.value());
}

Result<Mcfg, Error> ParseMcfgBytes(const Bytes& b) {
  auto table = AsTable(b);
  EXPECT_TRUE(table.ok());
  if (!table.ok()) return Err(table.error());
  return ParseMcfg(table.value());
}

TEST(Hpet, Q35Like) {
  Bytes b = MakeHpet(0x8086a201, 0, 0xfed00000, 0x80);
  ASSERT_EQ(b.size(), kHpetTableSize);
  auto r = ParseHpetBytes(b);
  ASSERT_TRUE(r.ok()) << ErrorString(r.error());
  EXPECT_EQ(r.value().base_address, 0xfed00000u);
  EXPECT_EQ(r.value().minimum_tick, 0x80);
  EXPECT_EQ(r.value().hpet_number, 0);
  EXPECT_EQ(r.value().HardwareRevision(), 1);
  EXPECT_EQ(r.value().ComparatorCount(), 3u);
  EXPECT_TRUE(r.value().Counter64Bit());
  EXPECT_TRUE(r.value().LegacyReplacementCapable());
  EXPECT_EQ(r.value().PciVendorId(), 0x8086);
}

TEST(Hpet, NotSystemMemory) {
  EXPECT_EQ(ParseHpetBytes(MakeHpet(0x8086a201, 1, 0xfed00000, 0x80)).error(),
            Error::kBadAddressSpace);
}

TEST(Hpet, ZeroAddress) {
  EXPECT_EQ(ParseHpetBytes(MakeHpet(0x8086a201, 0, 0, 0x80)).error(), Error::kBadEntry);
}

TEST(Hpet, TooShort) {
  TableBuilder t("HPET", 1);
  t.U32(0x8086a201).Gas(0, 64, 0, 0xfed00000).U8(0).U16(0x80);  // page protection missing
  EXPECT_EQ(ParseHpetBytes(t.Finish()).error(), Error::kBadLength);
}

TEST(Hpet, WrongSignature) {
  Bytes b = MakeMcfg({});
  EXPECT_EQ(ParseHpetBytes(b).error(), Error::kBadSignature);
}

TEST(Mcfg, Q35Like) {
  auto r = ParseMcfgBytes(MakeMcfg({{0xb0000000, 0, 0, 255}}));
  ASSERT_TRUE(r.ok()) << ErrorString(r.error());
  ASSERT_EQ(r.value().region_count, 1u);
  const EcamRegion& e = r.value().regions[0];
  EXPECT_EQ(e.base_address, 0xb0000000u);
  EXPECT_EQ(e.segment, 0);
  EXPECT_EQ(e.start_bus, 0);
  EXPECT_EQ(e.end_bus, 255);
  EXPECT_EQ(e.PhysStart(), 0xb0000000u);
  EXPECT_EQ(e.PhysSize(), 256u << 20);
}

TEST(Mcfg, SeveralSegmentsAndPartialBusRange) {
  auto r = ParseMcfgBytes(
      MakeMcfg({{0xb0000000, 0, 0, 127}, {0xb0000000, 0, 128, 255}, {0xe0000000, 1, 16, 31}}));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().region_count, 3u);
  EXPECT_EQ(r.value().regions[2].PhysStart(), 0xe1000000u);
  EXPECT_EQ(r.value().regions[2].PhysSize(), 16u << 20);
}

TEST(Mcfg, Empty) {
  auto r = ParseMcfgBytes(MakeMcfg({}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().region_count, 0u);
}

TEST(Mcfg, PartialEntry) {
  TableBuilder t("MCFG", 1);
  t.Zeros(8).U64(0xb0000000).U16(0).U8(0).U8(255);  // 12 of 16 bytes
  EXPECT_EQ(ParseMcfgBytes(t.Finish()).error(), Error::kBadLength);
}

TEST(Mcfg, MissingReservedField) {
  TableBuilder t("MCFG", 1);
  t.U32(0);  // 4 of the 8 reserved bytes
  EXPECT_EQ(ParseMcfgBytes(t.Finish()).error(), Error::kBadLength);
}

TEST(Mcfg, StartAfterEnd) {
  EXPECT_EQ(ParseMcfgBytes(MakeMcfg({{0xb0000000, 0, 10, 9}})).error(), Error::kBadEntry);
}

TEST(Mcfg, UnalignedBase) {
  EXPECT_EQ(ParseMcfgBytes(MakeMcfg({{0xb0000010, 0, 0, 255}})).error(), Error::kBadEntry);
}

TEST(Mcfg, RangeWraps) {
  EXPECT_EQ(ParseMcfgBytes(MakeMcfg({{0xfffffffffff00000, 0, 0, 1}})).error(), Error::kBadEntry);
}

TEST(Mcfg, OverlappingBusRanges) {
  EXPECT_EQ(ParseMcfgBytes(MakeMcfg({{0xb0000000, 0, 0, 128}, {0xc0000000, 0, 128, 255}})).error(),
            Error::kBadEntry);
}

TEST(Mcfg, TooManyRegions) {
  std::vector<McfgEntry> entries;
  for (uint16_t i = 0; i < kMaxEcamRegions; ++i) entries.push_back({0xb0000000, i, 0, 255});
  ASSERT_TRUE(ParseMcfgBytes(MakeMcfg(entries)).ok());
  entries.push_back({0xb0000000, kMaxEcamRegions, 0, 255});
  EXPECT_EQ(ParseMcfgBytes(MakeMcfg(entries)).error(), Error::kTooManyEntries);
}

}  // namespace
}  // namespace hiillos::acpi
