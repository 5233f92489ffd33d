// lib/pci/capability_test.cc — capability-list walks (loops, bad pointers) and MSI/MSI-X
// decoding and location.
#include "lib/pci/capability.h"

#include <gtest/gtest.h>

#include "lib/pci/function.h"
#include "lib/pci/testing/simulated_config_space.h"

namespace hiillos::pci {
namespace {

using testing::SimulatedConfigSpace;

constexpr FunctionAddress kDevice{0, 0, 4, 0};

class CapabilityTest : public ::testing::Test {
 protected:
  CapabilityTest() {
    config_.AddFunction(kDevice, 0x1234, 0x1, 0x02, 0x00, 0x00, kHeaderTypeDevice);
  }
  Result<void, Error> Walk() { return ReadCapabilities(config_, kDevice, 6, list_); }

  SimulatedConfigSpace config_;
  CapabilityList list_;
};

TEST_F(CapabilityTest, NoListWithoutTheStatusBit) {
  config_.Poke8(kDevice, kRegCapabilitiesPointer, 0x40);  // ignored: status bit clear
  ASSERT_TRUE(Walk().ok());
  EXPECT_EQ(list_.count, 0);
}

TEST_F(CapabilityTest, ListInOrderWithMsi64AndMasking) {
  config_.AddCapability(kDevice, 0x40, kCapabilityIdPciExpress);
  config_.AddMsi(kDevice, 0x60, (1u << 8) | (1u << 7) | (3u << 1));
  config_.AddCapability(kDevice, 0xF8, 0x09);  // ends right at the header's end
  ASSERT_TRUE(Walk().ok());
  ASSERT_EQ(list_.count, 3);
  EXPECT_EQ(list_.entries[0].id, kCapabilityIdPciExpress);
  EXPECT_EQ(list_.entries[1].offset, 0x60);
  EXPECT_EQ(list_.entries[2].offset, 0xF8);
  ASSERT_TRUE(list_.msi.present);
  EXPECT_TRUE(list_.msi.is_64bit);
  EXPECT_TRUE(list_.msi.per_vector_masking);
  EXPECT_EQ(list_.msi.max_vectors_log2, 3);
  EXPECT_EQ(list_.msi.DataOffset(), 0x6C);
  EXPECT_EQ(list_.msi.MaskOffset(), 0x70);
  EXPECT_EQ(config_.bad_accesses(), 0u);
}

TEST_F(CapabilityTest, Msi32BitLayout) {
  config_.AddMsi(kDevice, 0x50, 0);
  ASSERT_TRUE(Walk().ok());
  EXPECT_FALSE(list_.msi.is_64bit);
  EXPECT_EQ(list_.msi.DataOffset(), 0x58);
  EXPECT_EQ(list_.msi.Length(), 0xA);
}

TEST_F(CapabilityTest, LoopIsAnError) {
  config_.AddCapability(kDevice, 0x40, 0x01);
  config_.AddCapability(kDevice, 0x50, 0x09);
  config_.Poke8(kDevice, 0x51, 0x40);  // back to the first
  auto walked = Walk();
  ASSERT_FALSE(walked.ok());
  EXPECT_EQ(walked.error(), Error::kCapabilityLoop);
  EXPECT_EQ(list_.count, 2);
}

TEST_F(CapabilityTest, SelfLoopIsAnError) {
  config_.AddCapability(kDevice, 0x40, 0x01);
  config_.Poke8(kDevice, 0x41, 0x40);
  EXPECT_EQ(Walk().error(), Error::kCapabilityLoop);
}

TEST_F(CapabilityTest, PointersIntoTheHeaderAreOutOfRange) {
  config_.AddCapability(kDevice, 0x40, 0x01);
  config_.Poke8(kDevice, 0x41, 0x10);
  EXPECT_EQ(Walk().error(), Error::kCapabilityPointerOutOfRange);
}

TEST_F(CapabilityTest, LowBitsOfPointersAreIgnored) {
  config_.AddCapability(kDevice, 0x40, 0x01);
  config_.Poke8(kDevice, kRegCapabilitiesPointer, 0x43);
  config_.Poke8(kDevice, 0x41, 0x03);  // 0x03 & 0xFC = 0: end of list
  ASSERT_TRUE(Walk().ok());
  EXPECT_EQ(list_.count, 1);
}

TEST_F(CapabilityTest, StructuresPastTheHeaderEndAreOutOfRange) {
  config_.AddMsi(kDevice, 0xF8, 1u << 7);  // 64-bit MSI needs 14 bytes
  EXPECT_EQ(Walk().error(), Error::kCapabilityPointerOutOfRange);
  SimulatedConfigSpace other;
  other.AddFunction(kDevice, 0x1234, 0x1, 0x02, 0x00, 0x00, kHeaderTypeDevice);
  other.AddMsix(kDevice, 0xF8, 4, 0, 0, 0, 0x100);  // 12 bytes
  EXPECT_EQ(ReadCapabilities(other, kDevice, 6, list_).error(),
            Error::kCapabilityPointerOutOfRange);
  EXPECT_EQ(other.bad_accesses(), 0u);
}

TEST_F(CapabilityTest, LongestListWalks) {
  for (uint16_t offset = 0x40; offset < 0x100; offset += 4) {
    config_.AddCapability(kDevice, static_cast<uint8_t>(offset), 0x09);
  }
  ASSERT_TRUE(Walk().ok());
  EXPECT_EQ(list_.count, kMaxCapabilities);
}

TEST_F(CapabilityTest, MsixDecode) {
  config_.AddMsix(kDevice, 0x70, 2048, 2, 0x2000, 3, 0x3000);
  ASSERT_TRUE(Walk().ok());
  ASSERT_TRUE(list_.msix.present);
  EXPECT_EQ(list_.msix.table_size, 2048);
  EXPECT_EQ(list_.msix.table_bar, 2);
  EXPECT_EQ(list_.msix.table_offset, 0x2000u);
  EXPECT_EQ(list_.msix.pba_bar, 3);
  EXPECT_EQ(list_.msix.pba_offset, 0x3000u);
}

TEST_F(CapabilityTest, MsixBarIndicatorBeyondTheHeadersBars) {
  config_.AddMsix(kDevice, 0x70, 4, 6, 0, 0, 0x100);
  EXPECT_EQ(Walk().error(), Error::kBadMsixBar);
  EXPECT_EQ(ReadCapabilities(config_, kDevice, 2, list_).error(), Error::kBadMsixBar);
}

TEST(LocateMsix, TableAndPbaInsideTheirBar) {
  SimulatedConfigSpace config;
  config.AddFunction(kDevice, 0x1AF4, 0x1042, 0x01, 0x00, 0x00, kHeaderTypeDevice);
  config.AddMemoryBar32(kDevice, 1, 0xC1000000, 0x1000, false);
  config.AddIoBar(kDevice, 0, 0xC000, 0x40);
  config.AddMsix(kDevice, 0x98, 3, 1, 0x100, 1, 0x800);
  Function function;
  DecodeFunction(config, kDevice, function);
  ASSERT_TRUE(function.capabilities_ok);
  auto table = LocateMsixTable(function);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table.value().phys, 0xC1000100u);
  EXPECT_EQ(table.value().size, 48u);
  auto pba = LocateMsixPba(function);
  ASSERT_TRUE(pba.ok());
  EXPECT_EQ(pba.value().phys, 0xC1000800u);
  EXPECT_EQ(pba.value().size, 8u);

  function.capabilities.msix.table_offset = 0xFF8;  // runs past the 4 KiB BAR
  EXPECT_EQ(LocateMsixTable(function).error(), Error::kBarOutOfRange);
  function.capabilities.msix.table_bar = 0;  // an I/O BAR
  EXPECT_EQ(LocateMsixTable(function).error(), Error::kBadMsixBar);
  function.capabilities.msix.table_bar = 2;  // unimplemented
  EXPECT_EQ(LocateMsixTable(function).error(), Error::kBadMsixBar);
  function.capabilities.msix.present = false;
  EXPECT_EQ(LocateMsixPba(function).error(), Error::kBadMsixBar);
}

TEST(DecodeFunction, RecordsCapabilityErrors) {
  SimulatedConfigSpace config;
  config.AddFunction(kDevice, 0x1234, 0x1, 0x02, 0x00, 0x00, kHeaderTypeDevice);
  config.AddCapability(kDevice, 0x40, 0x01);
  config.Poke8(kDevice, 0x41, 0x40);
  Function function;
  DecodeFunction(config, kDevice, function);
  EXPECT_FALSE(function.capabilities_ok);
  EXPECT_EQ(function.capabilities_error, Error::kCapabilityLoop);
  EXPECT_EQ(function.capabilities.count, 1);
}

}  // namespace
}  // namespace hiillos::pci
