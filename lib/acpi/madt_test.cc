// lib/acpi/madt_test.cc — MADT entries: every type we decode, and every malformed entry.
#include "lib/acpi/madt.h"

#include <gtest/gtest.h>

#include "lib/acpi/test_tables.h"

namespace hiillos::acpi {
namespace {

using testing::Bytes;
using testing::IoApicEntry;
using testing::LocalApicAddressEntry;
using testing::LocalApicEntry;
using testing::LocalApicNmiEntry;
using testing::MakeMadt;
using testing::OverrideEntry;
using testing::TableBuilder;
using testing::X2ApicEntry;
using testing::X2ApicNmiEntry;

// Validates `b` as a table and parses it (the table itself must be well-formed).
Result<Madt, Error> Parse(const Bytes& b) {
  auto table = ValidateTable(ByteView(b.data(), b.size()), 0, nullptr);
  EXPECT_TRUE(table.ok());
  if (!table.ok()) return Err(table.error());
  return ParseMadt(table.value());
}

Result<Madt, Error> ParseEntries(const std::vector<Bytes>& entries) {
  return Parse(MakeMadt(0xfee00000, 1, entries));
}

TEST(Madt, Q35Like) {
  auto r = ParseEntries({LocalApicEntry(0, 0, 1), LocalApicEntry(1, 1, 1),
                         IoApicEntry(0, 0xfec00000, 0), OverrideEntry(0, 2, 0),
                         OverrideEntry(9, 9, 0xd), LocalApicNmiEntry(0xff, 0x5, 1)});
  ASSERT_TRUE(r.ok()) << ErrorString(r.error());
  const Madt& m = r.value();
  EXPECT_EQ(m.local_apic_address, 0xfee00000u);
  EXPECT_FALSE(m.local_apic_address_overridden);
  EXPECT_TRUE(m.pcat_compat);
  ASSERT_EQ(m.cpu_count, 2u);
  EXPECT_EQ(m.cpus[0].apic_id, 0u);
  EXPECT_EQ(m.cpus[1].apic_id, 1u);
  EXPECT_EQ(m.cpus[1].uid, 1u);
  EXPECT_FALSE(m.cpus[1].from_x2apic);
  ASSERT_EQ(m.io_apic_count, 1u);
  EXPECT_EQ(m.io_apics[0].address, 0xfec00000u);
  EXPECT_EQ(m.io_apics[0].gsi_base, 0u);
  ASSERT_EQ(m.override_count, 2u);
  EXPECT_EQ(m.overrides[0].source_irq, 0);
  EXPECT_EQ(m.overrides[0].gsi, 2u);
  EXPECT_EQ(m.overrides[0].polarity, Polarity::kConforms);
  EXPECT_EQ(m.overrides[0].trigger, Trigger::kConforms);
  EXPECT_EQ(m.overrides[1].polarity, Polarity::kActiveHigh);
  EXPECT_EQ(m.overrides[1].trigger, Trigger::kLevel);
  ASSERT_EQ(m.local_nmi_count, 1u);
  EXPECT_EQ(m.local_nmis[0].uid, kAllProcessors);
  EXPECT_EQ(m.local_nmis[0].lint, 1);
  EXPECT_EQ(m.local_nmis[0].polarity, Polarity::kActiveHigh);
  EXPECT_EQ(m.local_nmis[0].trigger, Trigger::kEdge);
}

TEST(Madt, NoEntries) {
  auto r = Parse(MakeMadt(0xfee00000, 0, {}));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().pcat_compat);
  EXPECT_EQ(r.value().cpu_count, 0u);
}

TEST(Madt, DisabledAndOnlineCapableCpus) {
  auto r = ParseEntries({LocalApicEntry(0, 0, 1), LocalApicEntry(1, 1, 0), LocalApicEntry(2, 2, 2),
                         X2ApicEntry(300, 2, 3)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().cpu_count, 1u);
  EXPECT_EQ(r.value().hotplug_cpu_count, 2u);
}

TEST(Madt, X2ApicEntries) {
  auto r = ParseEntries({LocalApicEntry(0, 0, 1), X2ApicEntry(0x1234, 1, 77),
                         X2ApicNmiEntry(0xf, 77, 0), X2ApicNmiEntry(0, 0xffffffff, 1)});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().cpu_count, 2u);
  EXPECT_EQ(r.value().cpus[1].apic_id, 0x1234u);
  EXPECT_EQ(r.value().cpus[1].uid, 77u);
  EXPECT_TRUE(r.value().cpus[1].from_x2apic);
  ASSERT_EQ(r.value().local_nmi_count, 2u);
  EXPECT_EQ(r.value().local_nmis[0].uid, 77u);
  EXPECT_EQ(r.value().local_nmis[0].polarity, Polarity::kActiveLow);
  EXPECT_EQ(r.value().local_nmis[0].trigger, Trigger::kLevel);
  EXPECT_EQ(r.value().local_nmis[1].uid, kAllProcessors);
}

TEST(Madt, DuplicateApicIdCountedOnce) {
  auto r = ParseEntries({LocalApicEntry(0, 5, 1), X2ApicEntry(5, 1, 0), LocalApicEntry(1, 5, 1)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().cpu_count, 1u);
}

TEST(Madt, LocalApicAddressOverride) {
  auto r = ParseEntries({LocalApicAddressEntry(0x1'2345'6000)});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().local_apic_address_overridden);
  EXPECT_EQ(r.value().local_apic_address, 0x1'2345'6000u);
}

TEST(Madt, UnknownTypesAndLongerEntriesAreSkippedByLength) {
  Bytes unknown{0x7f, 5, 0xaa, 0xbb, 0xcc};
  Bytes long_lapic = LocalApicEntry(3, 3, 1);
  long_lapic[1] = 10;
  long_lapic.push_back(0xee);
  long_lapic.push_back(0xee);
  Bytes gicc(80, 0);  // a type 0xB entry (ARM GICC), not ours
  gicc[0] = 0xb;
  gicc[1] = 80;
  auto r = ParseEntries({unknown, long_lapic, gicc, Bytes{0x80, 2}, LocalApicEntry(4, 4, 1)});
  ASSERT_TRUE(r.ok()) << ErrorString(r.error());
  ASSERT_EQ(r.value().cpu_count, 2u);
  EXPECT_EQ(r.value().cpus[0].apic_id, 3u);
  EXPECT_EQ(r.value().cpus[1].apic_id, 4u);
}

TEST(Madt, EntryLengthZero) {
  EXPECT_EQ(ParseEntries({LocalApicEntry(0, 0, 1), Bytes{0x7f, 0}}).error(), Error::kBadEntry);
}

TEST(Madt, EntryLengthOne) {
  EXPECT_EQ(ParseEntries({Bytes{0x7f, 1, 0}}).error(), Error::kBadEntry);
}

TEST(Madt, EntryBelowTypeMinimum) {
  struct Case {
    Bytes entry;
    uint8_t short_length;
  };
  const Case cases[] = {
      {LocalApicEntry(0, 0, 1), 7},   {IoApicEntry(0, 0xfec00000, 0), 11},
      {OverrideEntry(0, 2, 0), 9},    {LocalApicNmiEntry(0xff, 0, 1), 5},
      {LocalApicAddressEntry(1), 11}, {X2ApicEntry(1, 1, 1), 15},
      {X2ApicNmiEntry(0, 1, 1), 11},
  };
  for (const Case& c : cases) {
    Bytes e = c.entry;
    e[1] = c.short_length;
    e.resize(c.short_length);
    EXPECT_EQ(ParseEntries({e}).error(), Error::kBadEntry) << int{e[0]};
  }
}

TEST(Madt, EntryCrossingTableEnd) {
  Bytes e = IoApicEntry(0, 0xfec00000, 0);
  e.resize(8);  // the table ends 4 bytes into a 12-byte entry
  EXPECT_EQ(ParseEntries({LocalApicEntry(0, 0, 1), e}).error(), Error::kBadEntry);
}

TEST(Madt, LoneTrailingByte) {
  EXPECT_EQ(ParseEntries({LocalApicEntry(0, 0, 1), Bytes{0}}).error(), Error::kBadEntry);
}

TEST(Madt, ReservedPolarityOrTrigger) {
  EXPECT_EQ(ParseEntries({OverrideEntry(0, 2, 0x2)}).error(), Error::kBadEntry);
  EXPECT_EQ(ParseEntries({OverrideEntry(0, 2, 0x8)}).error(), Error::kBadEntry);
  EXPECT_EQ(ParseEntries({LocalApicNmiEntry(0, 0x2, 1)}).error(), Error::kBadEntry);
}

TEST(Madt, BadLint) {
  EXPECT_EQ(ParseEntries({LocalApicNmiEntry(0, 0, 2)}).error(), Error::kBadEntry);
  EXPECT_EQ(ParseEntries({X2ApicNmiEntry(0, 0, 7)}).error(), Error::kBadEntry);
}

TEST(Madt, TooManyCpus) {
  std::vector<Bytes> entries;
  for (uint32_t i = 0; i < kMaxCpus; ++i) entries.push_back(X2ApicEntry(i, 1, i));
  ASSERT_TRUE(ParseEntries(entries).ok());
  EXPECT_EQ(ParseEntries(entries).value().cpu_count, kMaxCpus);
  entries.push_back(X2ApicEntry(kMaxCpus, 1, kMaxCpus));
  EXPECT_EQ(ParseEntries(entries).error(), Error::kTooManyEntries);
}

TEST(Madt, TooManyIoApics) {
  std::vector<Bytes> entries;
  for (uint32_t i = 0; i <= kMaxIoApics; ++i) {
    entries.push_back(IoApicEntry(static_cast<uint8_t>(i), 0xfec00000 + 0x1000 * i, 24 * i));
  }
  EXPECT_EQ(ParseEntries(entries).error(), Error::kTooManyEntries);
}

TEST(Madt, TooManyOverrides) {
  std::vector<Bytes> entries;
  for (uint32_t i = 0; i <= kMaxOverrides; ++i) entries.push_back(OverrideEntry(0, 2, 0));
  EXPECT_EQ(ParseEntries(entries).error(), Error::kTooManyEntries);
}

TEST(Madt, TooManyNmis) {
  std::vector<Bytes> entries;
  for (uint32_t i = 0; i <= kMaxLocalNmis; ++i) entries.push_back(LocalApicNmiEntry(0xff, 0, 1));
  EXPECT_EQ(ParseEntries(entries).error(), Error::kTooManyEntries);
}

TEST(Madt, TableShorterThanFixedPart) {
  TableBuilder t("APIC", 3);
  t.U32(0xfee00000);  // flags missing
  EXPECT_EQ(Parse(t.Finish()).error(), Error::kBadLength);
}

TEST(Madt, WrongSignature) {
  Bytes b = MakeMadt(0xfee00000, 1, {});
  b[0] = 'B';
  testing::FixChecksum(b, 9, b.size());
  EXPECT_EQ(Parse(b).error(), Error::kBadSignature);
}

}  // namespace
}  // namespace hiillos::acpi
