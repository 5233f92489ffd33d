// lib/acpi/discover_test.cc — Discover() over a q35-like image and over broken variants of it.
#include "lib/acpi/discover.h"

#include <gtest/gtest.h>

#include "lib/acpi/test_tables.h"

namespace hiillos::acpi {
namespace {

using namespace testing;  // NOLINT: the builders

TEST(Discover, Q35) {
  FakeMemory memory = MakeQ35Memory();
  auto r = Discover(memory.Reader(), kQ35Rsdp);
  ASSERT_TRUE(r.ok()) << ErrorString(r.error());
  const AcpiInfo& info = r.value();
  EXPECT_TRUE(info.uses_xsdt);
  EXPECT_EQ(info.root_table_address, kQ35Xsdt);

  EXPECT_EQ(info.madt.local_apic_address, 0xfee00000u);
  EXPECT_TRUE(info.madt.pcat_compat);
  ASSERT_EQ(info.madt.cpu_count, 2u);
  EXPECT_EQ(info.madt.cpus[0].apic_id, 0u);
  EXPECT_EQ(info.madt.cpus[1].apic_id, 1u);
  ASSERT_EQ(info.madt.io_apic_count, 1u);
  EXPECT_EQ(info.madt.io_apics[0].address, 0xfec00000u);
  EXPECT_EQ(info.madt.io_apics[0].gsi_base, 0u);
  ASSERT_EQ(info.madt.override_count, 5u);
  EXPECT_EQ(info.madt.overrides[0].source_irq, 0);
  EXPECT_EQ(info.madt.overrides[0].gsi, 2u);
  EXPECT_EQ(info.madt.overrides[2].source_irq, 9);
  EXPECT_EQ(info.madt.overrides[2].trigger, Trigger::kLevel);
  ASSERT_EQ(info.madt.local_nmi_count, 1u);
  EXPECT_EQ(info.madt.local_nmis[0].lint, 1);

  ASSERT_TRUE(info.hpet.valid());
  EXPECT_EQ(info.hpet.value.base_address, 0xfed00000u);
  ASSERT_TRUE(info.mcfg.valid());
  ASSERT_EQ(info.mcfg.value.region_count, 1u);
  EXPECT_EQ(info.mcfg.value.regions[0].base_address, 0xb0000000u);
  EXPECT_EQ(info.mcfg.value.regions[0].end_bus, 255);
  ASSERT_TRUE(info.fadt.valid());
  EXPECT_EQ(info.fadt.value.pm_timer.address.address, 0x608u);
  EXPECT_EQ(info.ps2_controller, Ps2Controller::kPresent);
}

TEST(Discover, ViaRsdt) {
  FakeMemory memory = MakeQ35Memory();
  memory.Place(0xb00, MakeRsdt({kQ35Madt, kQ35Hpet}));
  memory.Place(kQ35Rsdp, MakeRsdp(0, 0xb00, 0));
  auto r = Discover(memory.Reader(), kQ35Rsdp);
  ASSERT_TRUE(r.ok()) << ErrorString(r.error());
  EXPECT_FALSE(r.value().uses_xsdt);
  EXPECT_EQ(r.value().madt.cpu_count, 2u);
  EXPECT_TRUE(r.value().hpet.valid());
  // Tables the RSDT does not list are absent, not errors.
  EXPECT_EQ(r.value().mcfg.state, TableState::kAbsent);
  EXPECT_EQ(r.value().fadt.state, TableState::kAbsent);
  EXPECT_EQ(r.value().ps2_controller, Ps2Controller::kUnknown);
}

TEST(Discover, OnlyMadt) {
  FakeMemory memory = MakeQ35Memory();
  memory.Place(kQ35Xsdt, MakeXsdt({kQ35Madt}));
  auto r = Discover(memory.Reader(), kQ35Rsdp);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().hpet.state, TableState::kAbsent);
  EXPECT_EQ(r.value().mcfg.state, TableState::kAbsent);
  EXPECT_EQ(r.value().fadt.state, TableState::kAbsent);
}

TEST(Discover, InvalidOptionalTablesAreReportedNotFatal) {
  FakeMemory memory = MakeQ35Memory();
  memory.Place(kQ35Hpet, MakeHpet(0x8086a201, 1, 0xfed00000, 0x80));  // HPET in I/O space
  memory.bytes()[kQ35Mcfg + 20] ^= 1;                                 // MCFG checksum broken
  auto r = Discover(memory.Reader(), kQ35Rsdp);
  ASSERT_TRUE(r.ok()) << ErrorString(r.error());
  EXPECT_EQ(r.value().hpet.state, TableState::kInvalid);
  EXPECT_EQ(r.value().hpet.error, Error::kBadAddressSpace);
  EXPECT_EQ(r.value().mcfg.state, TableState::kInvalid);
  EXPECT_EQ(r.value().mcfg.error, Error::kBadChecksum);
  EXPECT_TRUE(r.value().fadt.valid());
  EXPECT_EQ(r.value().madt.cpu_count, 2u);
}

TEST(Discover, MissingMadtIsAnError) {
  FakeMemory memory = MakeQ35Memory();
  memory.Place(kQ35Xsdt, MakeXsdt({kQ35Fadt, kQ35Hpet}));
  EXPECT_EQ(Discover(memory.Reader(), kQ35Rsdp).error(), Error::kNotFound);
}

TEST(Discover, BrokenMadtIsAnError) {
  FakeMemory memory = MakeQ35Memory();
  memory.Place(kQ35Madt, MakeMadt(0xfee00000, 1, {LocalApicEntry(0, 0, 1), Bytes{0x7f, 0}}));
  EXPECT_EQ(Discover(memory.Reader(), kQ35Rsdp).error(), Error::kBadEntry);
  memory.bytes()[kQ35Madt + 9] ^= 1;
  EXPECT_EQ(Discover(memory.Reader(), kQ35Rsdp).error(), Error::kBadChecksum);
}

TEST(Discover, MadtLengthPastEndOfMemory) {
  FakeMemory memory = MakeQ35Memory();
  TableBuilder madt("APIC", 3);
  madt.U32(0xfee00000).U32(1);
  memory.Place(kQ35Madt, madt.FinishWithLength(0x2000));
  EXPECT_EQ(Discover(memory.Reader(), kQ35Rsdp).error(), Error::kReadFailed);
}

TEST(Discover, HugeXsdtLength) {
  FakeMemory memory = MakeQ35Memory();
  TableBuilder xsdt("XSDT", 1);
  xsdt.U64(kQ35Madt);
  memory.Place(kQ35Xsdt, xsdt.FinishWithLength(0xfffffff0));
  EXPECT_EQ(Discover(memory.Reader(), kQ35Rsdp).error(), Error::kTableTooLarge);
  EXPECT_LE(memory.max_read_length(), kMaxTableLength);
}

TEST(Discover, BadRsdp) {
  FakeMemory memory = MakeQ35Memory();
  EXPECT_EQ(Discover(memory.Reader(), kQ35Rsdp + 1).error(), Error::kBadSignature);
  EXPECT_EQ(Discover(memory.Reader(), kQ35MemorySize - 4).error(), Error::kReadFailed);
  memory.bytes()[kQ35Rsdp + 30] ^= 1;  // extended checksum area
  EXPECT_EQ(Discover(memory.Reader(), kQ35Rsdp).error(), Error::kBadChecksum);
}

TEST(Discover, XsdtPointingOutsideMemory) {
  FakeMemory memory = MakeQ35Memory();
  memory.Place(kQ35Rsdp, MakeRsdp(2, 0, 0x10'0000'0000));
  EXPECT_EQ(Discover(memory.Reader(), kQ35Rsdp).error(), Error::kReadFailed);
}

TEST(Discover, ChecksumsCanBeIgnored) {
  FakeMemory memory = MakeQ35Memory();
  memory.bytes()[kQ35Madt + 9] ^= 1;
  memory.bytes()[kQ35Xsdt + 9] ^= 1;
  Options lax;
  lax.verify_checksums = false;
  auto r = Discover(memory.Reader(), kQ35Rsdp, lax);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().madt.cpu_count, 2u);
}

}  // namespace
}  // namespace hiillos::acpi
