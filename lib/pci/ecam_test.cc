// lib/pci/ecam_test.cc — ECAM address arithmetic and the memory-mapped accessor over a buffer.
#include "lib/pci/ecam.h"

#include <gtest/gtest.h>

#include <vector>

namespace hiillos::pci {
namespace {

constexpr acpi::EcamRegion kRegion{
    .base_address = 0xB0000000, .segment = 0, .start_bus = 2, .end_bus = 3};

TEST(EcamOffset, Arithmetic) {
  EXPECT_EQ(EcamOffset(kRegion, {0, 2, 0, 0}, 0).value(), 0u);
  EXPECT_EQ(EcamOffset(kRegion, {0, 3, 31, 7}, 0xFFC).value(),
            (1u << 20) + (31u << 15) + (7u << 12) + 0xFFC);
}

TEST(EcamOffset, OutOfRange) {
  EXPECT_EQ(EcamOffset(kRegion, {0, 1, 0, 0}, 0).error(), Error::kBadAddress);
  EXPECT_EQ(EcamOffset(kRegion, {0, 4, 0, 0}, 0).error(), Error::kBadAddress);
  EXPECT_EQ(EcamOffset(kRegion, {1, 2, 0, 0}, 0).error(), Error::kBadAddress);
  EXPECT_EQ(EcamOffset(kRegion, {0, 2, 32, 0}, 0).error(), Error::kBadAddress);
  EXPECT_EQ(EcamOffset(kRegion, {0, 2, 0, 8}, 0).error(), Error::kBadAddress);
  EXPECT_EQ(EcamOffset(kRegion, {0, 2, 0, 0}, 4096).error(), Error::kBadAddress);
}

TEST(EcamConfigSpace, ReadsAndWritesTheMappedWindow) {
  std::vector<uint32_t> memory(kRegion.PhysSize() / 4, 0xFFFFFFFF);
  EcamWindow window{kRegion, reinterpret_cast<volatile uint8_t*>(memory.data())};
  EcamConfigSpace config(&window, 1);
  const FunctionAddress device{0, 3, 1, 2};
  config.Write32(device, 0x10, 0x12345678);
  EXPECT_EQ(memory[((1u << 20) + (1u << 15) + (2u << 12) + 0x10) / 4], 0x12345678u);
  EXPECT_EQ(config.Read32(device, 0x10), 0x12345678u);
  EXPECT_EQ(config.Read16(device, 0x12), 0x1234);
  EXPECT_EQ(config.Read8(device, 0x11), 0x56);
  config.Write16(device, 0x12, 0xABCD);
  config.Write8(device, 0x10, 0xEF);
  EXPECT_EQ(config.Read32(device, 0x10), 0xABCD56EFu);
}

TEST(EcamConfigSpace, OutsideTheWindowReadsOnesAndDropsWrites) {
  std::vector<uint32_t> memory(kRegion.PhysSize() / 4, 0);
  EcamWindow window{kRegion, reinterpret_cast<volatile uint8_t*>(memory.data())};
  EcamConfigSpace config(&window, 1);
  EXPECT_EQ(config.Read32({0, 4, 0, 0}, 0), 0xFFFFFFFFu);
  EXPECT_EQ(config.Read16({0, 1, 0, 0}, 0), 0xFFFF);
  EXPECT_EQ(config.Read8({1, 2, 0, 0}, 0), 0xFF);
  EXPECT_EQ(config.Read32({0, 2, 0, 0}, 2), 0xFFFFFFFFu);  // misaligned
  EXPECT_EQ(config.Read16({0, 2, 0, 0}, 4095), 0xFFFF);    // past the function's space
  config.Write32({0, 4, 0, 0}, 0, 1);
  config.Write32({0, 2, 0, 0}, 4094, 1);
  for (uint32_t word : memory) ASSERT_EQ(word, 0u);
}

}  // namespace
}  // namespace hiillos::pci
