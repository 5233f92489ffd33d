// lib/pci/bar_test.cc — BAR decoding and sizing (32/64-bit memory, I/O, malformed) and the
// frames handed to drivers.
#include "lib/pci/bar.h"

#include <gtest/gtest.h>

#include "lib/pci/testing/simulated_config_space.h"

namespace hiillos::pci {
namespace {

using testing::SimulatedConfigSpace;

constexpr FunctionAddress kDevice{0, 0, 3, 0};

class BarTest : public ::testing::Test {
 protected:
  BarTest() { config_.AddFunction(kDevice, 0x1234, 0x1, 0x02, 0x00, 0x00, kHeaderTypeDevice); }
  void Size() { SizeBars(config_, kDevice, 6, bars_); }

  SimulatedConfigSpace config_;
  Bar bars_[kMaxBars];
};

TEST_F(BarTest, Memory64SizedOverBothHalves) {
  config_.AddMemoryBar64(kDevice, 0, 0x4000000000, 0x100000000, true);  // 4 GiB above 256 GiB
  config_.AddMemoryBar64(kDevice, 2, 0xFEB00000, 0x4000, false);
  Size();
  EXPECT_EQ(bars_[0].kind, BarKind::kMemory64);
  EXPECT_EQ(bars_[0].base, 0x4000000000u);
  EXPECT_EQ(bars_[0].size, 0x100000000u);
  EXPECT_TRUE(bars_[0].prefetchable);
  EXPECT_EQ(bars_[1].kind, BarKind::kUpperHalf);
  EXPECT_EQ(bars_[2].kind, BarKind::kMemory64);
  EXPECT_EQ(bars_[2].base, 0xFEB00000u);
  EXPECT_EQ(bars_[2].size, 0x4000u);
  EXPECT_FALSE(bars_[2].prefetchable);
  EXPECT_EQ(bars_[3].kind, BarKind::kUpperHalf);
  EXPECT_EQ(bars_[4].kind, BarKind::kNone);
  // Restored afterwards.
  EXPECT_EQ(config_.Read32(kDevice, kRegBar0), 0xC);
  EXPECT_EQ(config_.Read32(kDevice, kRegBar0 + 4), 0x40u);
  EXPECT_EQ(config_.bad_accesses(), 0u);
}

TEST_F(BarTest, Memory32AndIo) {
  config_.AddMemoryBar32(kDevice, 0, 0xFEBF0000, 0x10, false);
  config_.AddIoBar(kDevice, 1, 0xC000, 0x100);
  config_.AddMemoryBar32(kDevice, 5, 0x80000000, 0x80000000, true);
  Size();
  EXPECT_EQ(bars_[0].kind, BarKind::kMemory32);
  EXPECT_EQ(bars_[0].size, 0x10u);
  EXPECT_EQ(bars_[1].kind, BarKind::kIo);
  EXPECT_EQ(bars_[1].base, 0xC000u);
  EXPECT_EQ(bars_[1].size, 0x100u);
  EXPECT_EQ(bars_[5].kind, BarKind::kMemory32);
  EXPECT_EQ(bars_[5].size, 0x80000000u);
  EXPECT_TRUE(bars_[5].prefetchable);
}

TEST_F(BarTest, Memory64InTheLastSlotIsInvalid) {
  config_.Poke32(kDevice, kRegBar0 + 20, 0xFE000004);
  config_.SetWritable(kDevice, kRegBar0 + 20, 0xFFFFF000, 4);
  Size();
  EXPECT_EQ(bars_[5].kind, BarKind::kInvalid);
}

TEST_F(BarTest, ReservedTypeAndHolesInTheMaskAreInvalid) {
  config_.Poke32(kDevice, kRegBar0, 0xFE000002);  // type 0b01 (below 1 MiB, reserved)
  config_.SetWritable(kDevice, kRegBar0, 0xFFFFF000, 4);
  config_.Poke32(kDevice, kRegBar0 + 4, 0xFE000000);
  config_.SetWritable(kDevice, kRegBar0 + 4, 0xFFF0F000, 4);  // not one run of ones
  Size();
  EXPECT_EQ(bars_[0].kind, BarKind::kInvalid);
  EXPECT_EQ(bars_[1].kind, BarKind::kInvalid);
}

TEST_F(BarTest, FlagBitsWithoutAddressBitsAreInvalid) {
  config_.Poke32(kDevice, kRegBar0, 0x8);      // prefetchable, no writable address bit
  config_.Poke32(kDevice, kRegBar0 + 4, 0x1);  // I/O, no writable address bit
  config_.Poke32(kDevice, kRegBar0 + 8, 0x4);  // 64-bit, no writable bit in either half
  Size();
  EXPECT_EQ(bars_[0].kind, BarKind::kInvalid);
  EXPECT_EQ(bars_[1].kind, BarKind::kInvalid);
  EXPECT_EQ(bars_[2].kind, BarKind::kInvalid);
  EXPECT_EQ(bars_[3].kind, BarKind::kUpperHalf);
}

TEST_F(BarTest, Memory64OfEightGibibytesHasNoLowAddressBits) {
  config_.AddMemoryBar64(kDevice, 0, 0x200000000, 0x200000000, true);
  Size();
  EXPECT_EQ(bars_[0].kind, BarKind::kMemory64);
  EXPECT_EQ(bars_[0].size, 0x200000000u);
}

TEST_F(BarTest, DecodingIsOffWhileSizingAndRestoredAfter) {
  config_.Poke16(kDevice, kRegCommand, kCommandMemorySpace | kCommandIoSpace);
  config_.AddMemoryBar32(kDevice, 0, 0xFEBF0000, 0x1000, false);
  Size();
  EXPECT_EQ(config_.Read16(kDevice, kRegCommand), kCommandMemorySpace | kCommandIoSpace);
  EXPECT_EQ(bars_[0].size, 0x1000u);
}

TEST(BarCount, PerHeaderType) {
  EXPECT_EQ(BarCount(0), 6);
  EXPECT_EQ(BarCount(1), 2);
  EXPECT_EQ(BarCount(0x81), 2);
  EXPECT_EQ(BarCount(2), 1);
  EXPECT_EQ(BarCount(3), 0);
}

TEST(FramesOfBar, PageAlignedCover) {
  auto big = FramesOfBar(Bar{.kind = BarKind::kMemory64, .base = 0x800000000, .size = 0x4000});
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big.value().phys_base, 0x800000000u);
  EXPECT_EQ(big.value().size, 0x4000u);
  EXPECT_EQ(big.value().offset_in_page, 0u);

  auto small = FramesOfBar(Bar{.kind = BarKind::kMemory32, .base = 0xFEBF1010, .size = 0x10});
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small.value().phys_base, 0xFEBF1000u);
  EXPECT_EQ(small.value().size, 0x1000u);
  EXPECT_EQ(small.value().offset_in_page, 0x10u);
}

TEST(FramesOfBar, Errors) {
  EXPECT_EQ(FramesOfBar(Bar{.kind = BarKind::kIo, .base = 0xC000, .size = 0x20}).error(),
            Error::kNotMemoryBar);
  EXPECT_EQ(FramesOfBar(Bar{.kind = BarKind::kNone}).error(), Error::kNoSuchBar);
  EXPECT_EQ(FramesOfBar(Bar{.kind = BarKind::kUpperHalf}).error(), Error::kNoSuchBar);
  EXPECT_EQ(FramesOfBar(Bar{.kind = BarKind::kInvalid}).error(), Error::kNoSuchBar);
  EXPECT_EQ(FramesOfBar(Bar{.kind = BarKind::kMemory32, .base = 0, .size = 0x1000}).error(),
            Error::kBarUnassigned);
  EXPECT_EQ(FramesOfBar(Bar{.kind = BarKind::kMemory64, .base = 0xFFFFFFFFFFFFF000, .size = 0x2000})
                .error(),
            Error::kBarOutOfRange);
}

}  // namespace
}  // namespace hiillos::pci
