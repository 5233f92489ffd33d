// lib/acpi/fadt_test.cc — FADT: revisions, the 8042 flag, the PM timer, short tables.
#include "lib/acpi/fadt.h"

#include <gtest/gtest.h>

#include "lib/acpi/test_tables.h"

namespace hiillos::acpi {
namespace {

using testing::Bytes;
using testing::FixChecksum;
using testing::MakeFadt;

Result<Fadt, Error> Parse(const Bytes& b) {
  auto table = ValidateTable(ByteView(b.data(), b.size()), 0, nullptr);
  EXPECT_TRUE(table.ok());
  if (!table.ok()) return Err(table.error());
  return ParseFadt(table.value());
}

TEST(Fadt, Q35Like) {
  auto r = Parse(MakeFadt(3, 244, kBootArch8042, 0x608, kFadtTimerValueExtended));
  ASSERT_TRUE(r.ok()) << ErrorString(r.error());
  const Fadt& f = r.value();
  EXPECT_EQ(f.ps2_controller(), Ps2Controller::kPresent);
  EXPECT_EQ(f.century, 0x32);
  EXPECT_EQ(f.sci_interrupt, 9);
  EXPECT_EQ(f.dsdt_address, 0x3000u);
  EXPECT_TRUE(f.pm_timer.present);
  EXPECT_TRUE(f.pm_timer.address.In(AddressSpace::kSystemIo));
  EXPECT_EQ(f.pm_timer.address.address, 0x608u);
  EXPECT_TRUE(f.pm_timer.is_32bit);
  EXPECT_FALSE(f.hardware_reduced());
}

TEST(Fadt, No8042) {
  auto r = Parse(MakeFadt(3, 244, kBootArchLegacyDevices, 0x608, 0));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().ps2_controller(), Ps2Controller::kAbsent);
  EXPECT_FALSE(r.value().pm_timer.is_32bit);
}

TEST(Fadt, Revision1HasNoBootArch) {
  auto r = Parse(MakeFadt(1, 116, kBootArch8042, 0x608, 0));
  ASSERT_TRUE(r.ok()) << ErrorString(r.error());
  EXPECT_EQ(r.value().ps2_controller(), Ps2Controller::kUnknown);
  EXPECT_TRUE(r.value().pm_timer.present);
  EXPECT_EQ(r.value().pm_timer.address.address, 0x608u);
}

TEST(Fadt, Revision3ShortTableUsesLegacyTimer) {
  // A revision-3 table cut before X_PM_TMR_BLK: the I/O port block is used.
  auto r = Parse(MakeFadt(3, 150, kBootArch8042, 0x608, 0));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().pm_timer.present);
  EXPECT_EQ(r.value().pm_timer.address.address, 0x608u);
  EXPECT_EQ(r.value().dsdt_address, 0x3000u);
}

TEST(Fadt, ExtendedTimerInMemory) {
  Bytes b = MakeFadt(5, 276, 0, 0x608, 0);
  b[208] = 0;  // X_PM_TMR_BLK in system memory at 0xfe000000
  b[212] = 0;
  b[213] = 0;
  b[214] = 0;
  b[215] = 0xfe;
  FixChecksum(b, 9, b.size());
  auto r = Parse(b);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().pm_timer.address.In(AddressSpace::kSystemMemory));
  EXPECT_EQ(r.value().pm_timer.address.address, 0xfe000000u);
}

TEST(Fadt, ExtendedTimerInWrongSpace) {
  Bytes b = MakeFadt(5, 276, 0, 0x608, 0);
  b[208] = 2;  // PCI configuration space: not usable for the PM timer
  FixChecksum(b, 9, b.size());
  EXPECT_EQ(Parse(b).error(), Error::kBadAddressSpace);
}

TEST(Fadt, NoTimer) {
  auto r = Parse(MakeFadt(3, 244, 0, 0, 0));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().pm_timer.present);
  Bytes b = MakeFadt(1, 116, 0, 0x608, 0);
  b[91] = 3;  // PM_TMR_LEN must be 4
  FixChecksum(b, 9, b.size());
  EXPECT_FALSE(Parse(b).value().pm_timer.present);
}

TEST(Fadt, HardwareReducedHasNoTimer) {
  auto r = Parse(MakeFadt(5, 276, 0, 0x608, kFadtHardwareReduced));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().hardware_reduced());
  EXPECT_FALSE(r.value().pm_timer.present);
}

TEST(Fadt, TooShort) {
  EXPECT_EQ(Parse(MakeFadt(1, 115, 0, 0x608, 0)).error(), Error::kBadLength);
  EXPECT_EQ(Parse(MakeFadt(3, 40, 0, 0x608, 0)).error(), Error::kBadLength);
}

}  // namespace
}  // namespace hiillos::acpi
