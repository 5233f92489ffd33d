// lib/pci/interrupts_test.cc — command register enables, MSI programming and masking, MSI-X
// enable and table entries.
#include "lib/pci/interrupts.h"

#include <gtest/gtest.h>

#include "lib/pci/testing/simulated_config_space.h"

namespace hiillos::pci {
namespace {

using testing::SimulatedConfigSpace;

constexpr FunctionAddress kDevice{0, 0, 5, 0};

class InterruptsTest : public ::testing::Test {
 protected:
  InterruptsTest() {
    config_.AddFunction(kDevice, 0x1234, 0x1, 0x02, 0x00, 0x00, kHeaderTypeDevice);
  }
  MsiCapability AddMsi(uint16_t control) {
    config_.AddMsi(kDevice, 0x50, control);
    CapabilityList list;
    EXPECT_TRUE(ReadCapabilities(config_, kDevice, 6, list).ok());
    return list.msi;
  }

  SimulatedConfigSpace config_;
};

TEST_F(InterruptsTest, EnableDecodingKeepsOtherBits) {
  config_.Poke16(kDevice, kRegCommand, kCommandIoSpace);
  EnableDecoding(config_, kDevice, true, false);
  EXPECT_EQ(config_.Read16(kDevice, kRegCommand), kCommandIoSpace | kCommandMemorySpace);
  EnableDecoding(config_, kDevice, false, true);
  EXPECT_EQ(config_.Read16(kDevice, kRegCommand),
            kCommandIoSpace | kCommandMemorySpace | kCommandBusMaster);
}

TEST_F(InterruptsTest, Msi64BitProgrammed) {
  const MsiCapability msi = AddMsi((1u << 7) | (2u << 1));  // 64-bit, 4 vectors
  ASSERT_TRUE(ProgramMsi(config_, kDevice, msi, 0x1'FEE0'0000, 0x4040, 2).ok());
  EXPECT_EQ(config_.Read32(kDevice, 0x54), 0xFEE00000u);
  EXPECT_EQ(config_.Read32(kDevice, 0x58), 0x1u);
  EXPECT_EQ(config_.Read16(kDevice, 0x5C), 0x4040);
  const uint16_t control = config_.Read16(kDevice, 0x52);
  EXPECT_EQ(control & 1, 1);         // enabled
  EXPECT_EQ((control >> 4) & 7, 2);  // four vectors enabled
  EXPECT_EQ((control >> 1) & 7, 2);  // capability unchanged
  EXPECT_NE(config_.Read16(kDevice, kRegCommand) & kCommandInterruptDisable, 0);
  DisableMsi(config_, kDevice, msi);
  EXPECT_EQ(config_.Read16(kDevice, 0x52) & 1, 0);
}

TEST_F(InterruptsTest, Msi32BitLayoutAndErrors) {
  const MsiCapability msi = AddMsi(0);  // 32-bit, one vector, no masking
  EXPECT_EQ(ProgramMsi(config_, kDevice, msi, 0x1'0000'0000, 0x30, 0).error(),
            Error::kAddressNotReachable);
  EXPECT_EQ(ProgramMsi(config_, kDevice, msi, 0xFEE00000, 0x30, 1).error(),
            Error::kVectorOutOfRange);
  EXPECT_EQ(ProgramMsi(config_, kDevice, msi, 0xFEE00002, 0x30, 0).error(),
            Error::kMisalignedAddress);
  EXPECT_EQ(SetMsiMask(config_, kDevice, msi, 0, true).error(), Error::kNoPerVectorMasking);
  EXPECT_EQ(config_.Read16(kDevice, 0x52) & 1, 0);  // nothing enabled by the failed calls
  ASSERT_TRUE(ProgramMsi(config_, kDevice, msi, 0xFEE01000, 0x31, 0).ok());
  EXPECT_EQ(config_.Read32(kDevice, 0x54), 0xFEE01000u);
  EXPECT_EQ(config_.Read16(kDevice, 0x58), 0x31);
}

TEST_F(InterruptsTest, MsiPerVectorMask) {
  const MsiCapability msi = AddMsi((1u << 8) | (1u << 1));  // masking, 2 vectors, 32-bit
  ASSERT_TRUE(SetMsiMask(config_, kDevice, msi, 1, true).ok());
  EXPECT_EQ(config_.Read32(kDevice, 0x5C), 0x2u);
  ASSERT_TRUE(SetMsiMask(config_, kDevice, msi, 0, true).ok());
  ASSERT_TRUE(SetMsiMask(config_, kDevice, msi, 1, false).ok());
  EXPECT_EQ(config_.Read32(kDevice, 0x5C), 0x1u);
  EXPECT_EQ(SetMsiMask(config_, kDevice, msi, 2, true).error(), Error::kVectorOutOfRange);
}

TEST_F(InterruptsTest, MsixEnableClearsFunctionMask) {
  config_.AddMsix(kDevice, 0x70, 4, 0, 0, 0, 0x100);
  config_.Poke16(kDevice, 0x72, 3 | (1u << 14));  // masked
  CapabilityList list;
  ASSERT_TRUE(ReadCapabilities(config_, kDevice, 6, list).ok());
  EnableMsix(config_, kDevice, list.msix);
  EXPECT_EQ(config_.Read16(kDevice, 0x72), 3 | (1u << 15));
  EXPECT_NE(config_.Read16(kDevice, kRegCommand) & kCommandInterruptDisable, 0);
  DisableMsix(config_, kDevice, list.msix);
  EXPECT_EQ(config_.Read16(kDevice, 0x72), 3);
}

TEST(MsixTable, ProgramAndMask) {
  uint32_t entries[3 * 4] = {};
  for (int i = 0; i < 3; ++i) entries[i * 4 + 3] = 1;  // masked at reset
  MsixTable table(entries, 3);
  ASSERT_TRUE(table.Program(1, 0xFEE0'1000, 0x41, false).ok());
  EXPECT_EQ(entries[4], 0xFEE01000u);
  EXPECT_EQ(entries[5], 0u);
  EXPECT_EQ(entries[6], 0x41u);
  EXPECT_EQ(entries[7], 0u);
  EXPECT_FALSE(table.IsMasked(1).value());
  EXPECT_TRUE(table.IsMasked(0).value());
  ASSERT_TRUE(table.SetMask(1, true).ok());
  EXPECT_TRUE(table.IsMasked(1).value());
  ASSERT_TRUE(table.Program(2, 0x1'FEE0'0000, 0x42, true).ok());
  EXPECT_EQ(entries[9], 1u);
  EXPECT_EQ(entries[11], 1u);
  EXPECT_EQ(table.Program(3, 0xFEE00000, 0, false).error(), Error::kVectorOutOfRange);
  EXPECT_EQ(table.Program(0, 0xFEE00001, 0, false).error(), Error::kMisalignedAddress);
  EXPECT_EQ(table.SetMask(3, false).error(), Error::kVectorOutOfRange);
  EXPECT_EQ(table.IsMasked(3).error(), Error::kVectorOutOfRange);
}

}  // namespace
}  // namespace hiillos::pci
