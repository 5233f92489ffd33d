// bootloader/multiboot/multiboot_info_test.cc — the Multiboot information parser on structures
// laid out as QEMU writes them, and on broken ones.
#include "bootloader/multiboot/multiboot_info.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace hiillos::loader::multiboot {
namespace {

constexpr uint64_t kInfo = 0x9000;
constexpr uint64_t kMmap = 0x9100;
constexpr uint64_t kMods = 0x9400;
constexpr uint64_t kStrings = 0x9800;

// 64 KiB of simulated physical memory starting at 0.
class MultibootInfoTest : public ::testing::Test {
 protected:
  MultibootInfoTest() : memory_(64 * 1024, 0) {}

  void Put32(uint64_t at, uint32_t value) { std::memcpy(&memory_[at], &value, 4); }
  void Put64(uint64_t at, uint64_t value) { std::memcpy(&memory_[at], &value, 8); }

  void AddRange(uint64_t base, uint64_t length, uint32_t type) {
    const uint64_t at = kMmap + mmap_bytes_;
    Put32(at, 20);
    Put64(at + 4, base);
    Put64(at + 12, length);
    Put32(at + 20, type);
    mmap_bytes_ += 24;
  }
  void AddModule(uint32_t start, uint32_t end, const std::string& text) {
    const uint64_t entry = kMods + 16 * module_count_++;
    Put32(entry, start);
    Put32(entry + 4, end);
    Put32(entry + 8, static_cast<uint32_t>(kStrings + strings_bytes_));
    std::memcpy(&memory_[kStrings + strings_bytes_], text.c_str(), text.size() + 1);
    strings_bytes_ += text.size() + 1;
  }
  void Finish(uint32_t flags = kFlagMemoryMap | kFlagModules) {
    Put32(kInfo, flags);
    Put32(kInfo + 20, module_count_);
    Put32(kInfo + 24, kMods);
    Put32(kInfo + 44, static_cast<uint32_t>(mmap_bytes_));
    Put32(kInfo + 48, kMmap);
  }
  PhysicalView View() const {
    return PhysicalView(reinterpret_cast<uint64_t>(memory_.data()), memory_.size());
  }
  Result<Info, Error> ParseIt(uint32_t magic = kBootloaderMagic) {
    return Parse(View(), magic, kInfo);
  }
  // The error Parse gives, or "parsed" when it succeeds.
  std::string ParseError(uint32_t magic = kBootloaderMagic) {
    auto parsed = ParseIt(magic);
    return parsed.ok() ? "parsed" : ErrorString(parsed.error());
  }

  std::vector<uint8_t> memory_;
  uint64_t mmap_bytes_ = 0;
  uint32_t module_count_ = 0;
  uint64_t strings_bytes_ = 0;
};

TEST_F(MultibootInfoTest, ReadsTheMapAndTheModulesAsQemuWritesThem) {
  AddRange(0, 0x9fc00, 1);            // usable, ends inside a page
  AddRange(0x9fc00, 0x400, 2);        // reserved (EBDA)
  AddRange(0x100000, 0x1fee0000, 1);  // usable
  AddRange(0xfd00000000, 0x300000000, 2);
  AddRange(0x1ffe0000, 0x20000, 3);  // ACPI reclaimable
  AddModule(0x1000, 0x2000, "bazel-out/k8/bin/kernel/kernel.elf kernel.elf");
  AddModule(0x2000, 0x2800, "initfs.tar.zst");
  Finish();
  auto parsed = ParseIt();
  ASSERT_TRUE(parsed.ok());
  const Info& info = parsed.value();
  ASSERT_EQ(info.range_count, 5u);
  EXPECT_EQ(info.ranges[0].base, 0u);
  EXPECT_EQ(info.ranges[0].size, 0x9f000u);  // shrunk to whole pages
  EXPECT_EQ(info.ranges[0].kind, uapi::MemoryKind::kUsable);
  EXPECT_EQ(info.ranges[1].kind, uapi::MemoryKind::kReserved);
  EXPECT_EQ(info.ranges[1].size, 0x400u);  // not usable: kept as given
  EXPECT_EQ(info.ranges[4].kind, uapi::MemoryKind::kAcpiReclaimable);
  ASSERT_EQ(info.module_count, 2u);
  EXPECT_STREQ(info.modules[0].name, "kernel.elf");
  EXPECT_EQ(info.modules[0].start, 0x1000u);
  EXPECT_EQ(info.modules[0].end, 0x2000u);
  EXPECT_STREQ(info.modules[1].name, "initfs.tar.zst");
  ASSERT_NE(FindModule(info, "initfs.tar.zst"), nullptr);
  EXPECT_EQ(FindModule(info, "initfs.tar.zst")->start, 0x2000u);
  EXPECT_EQ(FindModule(info, "root.elf"), nullptr);
  EXPECT_EQ(FindModule(info, "kernel"), nullptr);
  EXPECT_GE(info.highest_used, kStrings + strings_bytes_);
}

TEST_F(MultibootInfoTest, ANameIsTheFileNameWhenNoArgumentsFollow) {
  AddRange(0, 0x9f000, 1);
  AddModule(0x1000, 0x1000, "some/dir/root.elf");
  Finish();
  auto parsed = ParseIt();
  ASSERT_TRUE(parsed.ok());
  EXPECT_STREQ(parsed.value().modules[0].name, "root.elf");
}

TEST_F(MultibootInfoTest, RefusesAnotherLoadersMagic) {
  AddRange(0, 0x9f000, 1);
  Finish();
  EXPECT_EQ(ParseError(0x36d76289), ErrorString(Error::kBadMagic));  // Multiboot 2's
}

TEST_F(MultibootInfoTest, RefusesAStructureWithoutAMemoryMap) {
  AddRange(0, 0x9f000, 1);
  Finish(kFlagModules);
  EXPECT_EQ(ParseError(), ErrorString(Error::kNoMemoryMap));
}

TEST_F(MultibootInfoTest, RefusesAMapEntryRunningPastTheMap) {
  AddRange(0, 0x9f000, 1);
  Finish();
  Put32(kMmap, 64);  // the entry claims more bytes than the map has
  EXPECT_EQ(ParseError(), ErrorString(Error::kBadMemoryMapEntry));
}

TEST_F(MultibootInfoTest, RefusesPointersOutsideMemory) {
  AddRange(0, 0x9f000, 1);
  Finish();
  Put32(kInfo + 48, 0xfffff000);  // mmap_addr
  EXPECT_EQ(ParseError(), ErrorString(Error::kInfoOutOfBounds));
  EXPECT_FALSE(Parse(View(), kBootloaderMagic, memory_.size() - 8).ok());
}

TEST_F(MultibootInfoTest, RefusesABackwardsOrOutOfMemoryModule) {
  AddRange(0, 0x9f000, 1);
  AddModule(0x3000, 0x2000, "kernel.elf");
  Finish();
  EXPECT_EQ(ParseError(), ErrorString(Error::kBadModule));
  Put32(kMods, 0x1000);
  Put32(kMods + 4, 0x200000);  // past the 64 KiB of memory
  EXPECT_EQ(ParseError(), ErrorString(Error::kBadModule));
}

TEST_F(MultibootInfoTest, RefusesAnUnterminatedOrLongName) {
  AddRange(0, 0x9f000, 1);
  AddModule(0x1000, 0x1000, "a-module-name-of-thirty-two-bytes");
  Finish();
  EXPECT_EQ(ParseError(), ErrorString(Error::kModuleNameTooLong));
  Put32(kMods + 8, static_cast<uint32_t>(memory_.size() - 4));  // string runs off the end
  std::memset(&memory_[memory_.size() - 4], 'x', 4);
  EXPECT_EQ(ParseError(), ErrorString(Error::kInfoOutOfBounds));
}

TEST_F(MultibootInfoTest, RefusesTooManyModules) {
  AddRange(0, 0x9f000, 1);
  for (uint32_t i = 0; i <= kMaxModules; ++i) AddModule(0x1000, 0x1000, "m");
  Finish();
  EXPECT_EQ(ParseError(), ErrorString(Error::kTooManyModules));
}

}  // namespace
}  // namespace hiillos::loader::multiboot
