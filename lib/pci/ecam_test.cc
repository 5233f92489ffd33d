// lib/pci/ecam_test.cc — ECAM address arithmetic, and the memory-mapped accessor over a buffer
// (alone and under enumeration).
#include "lib/pci/ecam.h"

#include <gtest/gtest.h>
#include <string.h>

#include <vector>

#include "lib/pci/enumerate.h"

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

// Enumeration through EcamConfigSpace over an ECAM image in memory: empty space reads all ones
// as on hardware, headers are placed at their ECAM addresses.
TEST(EcamConfigSpace, EnumerationOverAnEcamImage) {
  constexpr acpi::EcamRegion region{.segment = 0, .start_bus = 0, .end_bus = 1};
  std::vector<uint8_t> memory(region.PhysSize(), 0xFF);
  auto header = [&](FunctionAddress address, uint32_t id, uint32_t class_code, uint8_t type) {
    uint8_t* base = memory.data() + EcamOffset(region, address, 0).value();
    memset(base, 0, 0x40);
    memcpy(base + kRegVendorId, &id, 4);
    memcpy(base + kRegRevision, &class_code, 4);
    base[kRegHeaderType] = type;
    return base;
  };
  header({0, 0, 0, 0}, 0x29C08086, 0x06000000, kHeaderTypeDevice);
  uint8_t* bridge = header({0, 0, 1, 0}, 0x000C1B36, 0x06040000, kHeaderTypeBridge);
  bridge[kRegSecondaryBus] = 1;
  bridge[kRegSubordinateBus] = 1;
  header({0, 1, 2, 0}, 0x10421AF4, 0x01000001, kHeaderTypeDevice | kHeaderMultiFunction);
  header({0, 1, 2, 5}, 0x10421AF4, 0x01000001, kHeaderTypeDevice);

  // Guard pages on both sides of the window: enumeration must not write them.
  std::vector<uint8_t> guarded(memory.size() + 2 * 4096, 0xA5);
  memcpy(guarded.data() + 4096, memory.data(), memory.size());
  EcamWindow window{region, guarded.data() + 4096};
  EcamConfigSpace config(&window, 1);
  static DeviceTable table;
  ASSERT_TRUE(Enumerate(config, &region, 1, table).ok());
  ASSERT_EQ(table.count, 4u);
  EXPECT_EQ(table.functions[1].bridge, BridgeState::kFollowed);
  EXPECT_EQ(table.functions[2].address, (FunctionAddress{0, 1, 2, 0}));
  EXPECT_EQ(table.functions[3].address, (FunctionAddress{0, 1, 2, 5}));
  EXPECT_EQ(table.functions[3].vendor_id, 0x1AF4);
  EXPECT_EQ(table.functions[3].class_code, 0x01);
  for (size_t i = 0; i < 4096; ++i) {
    ASSERT_EQ(guarded[i], 0xA5);
    ASSERT_EQ(guarded[guarded.size() - 1 - i], 0xA5);
  }
}

}  // namespace
}  // namespace hiillos::pci
