// Host tests for BootInfo validation and memory summaries.
#include "kernel/boot/boot_info_check.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

namespace hiillos::boot {
namespace {

using uapi::MemoryKind;

std::unique_ptr<uapi::BootInfo> ValidInfo() {
  auto info = std::make_unique<uapi::BootInfo>();
  std::memset(info.get(), 0, sizeof(*info));
  info->magic = uapi::kBootInfoMagic;
  info->version = uapi::kBootInfoVersion;
  info->size = sizeof(uapi::BootInfo);
  auto add = [&](uint64_t base, uint64_t size, MemoryKind kind) {
    info->memory_map[info->memory_range_count++] = {base, size, kind, 0};
  };
  add(0x0, 0x9f000, MemoryKind::kUsable);
  add(0x100000, 0x100000, MemoryKind::kKernel);
  add(0x200000, 0x3000, MemoryKind::kModule);
  add(0x203000, 0x1000000, MemoryKind::kUsable);
  add(0xfec00000, 0x1000, MemoryKind::kMmio);
  info->kernel_phys_base = 0x100000;
  info->kernel_phys_size = 0x80000;
  info->module_count = 1;
  info->modules[0].base = 0x200000;
  info->modules[0].size = 0x2001;
  std::strcpy(info->modules[0].name, "root.elf");
  std::strcpy(info->command_line, "test=boot");
  return info;
}

TEST(BootInfoCheckTest, AcceptsValidInfo) {
  EXPECT_TRUE(CheckBootInfo(*ValidInfo()).ok());
}

TEST(BootInfoCheckTest, RejectsEachBrokenPromise) {
  struct Case {
    void (*breakit)(uapi::BootInfo&);
    BootInfoError expected;
  };
  const Case cases[] = {
      {[](uapi::BootInfo& i) { i.magic ^= 1; }, BootInfoError::kBadMagic},
      {[](uapi::BootInfo& i) { i.version = 2; }, BootInfoError::kBadVersion},
      {[](uapi::BootInfo& i) { i.size -= 8; }, BootInfoError::kBadSize},
      {[](uapi::BootInfo& i) { i.memory_range_count = 257; }, BootInfoError::kTooManyRanges},
      {[](uapi::BootInfo& i) { i.module_count = 5; }, BootInfoError::kTooManyModules},
      {[](uapi::BootInfo& i) { i.memory_map[0].size = 0x9f001; }, BootInfoError::kRangeMisaligned},
      {[](uapi::BootInfo& i) { i.memory_map[0].size = 0; }, BootInfoError::kRangeEmpty},
      {[](uapi::BootInfo& i) { i.memory_map[4].size = ~0xfffull; }, BootInfoError::kRangeOverflow},
      {[](uapi::BootInfo& i) { i.memory_map[1].base = 0x98000; },
       BootInfoError::kRangesUnsortedOrOverlapping},
      {[](uapi::BootInfo& i) { i.memory_map[0].kind = static_cast<MemoryKind>(99); },
       BootInfoError::kUnknownKind},
      {[](uapi::BootInfo& i) { i.modules[0].size = 0x3001; },
       BootInfoError::kModuleNotInModuleRange},
      {[](uapi::BootInfo& i) { std::memset(i.modules[0].name, 'x', uapi::kModuleNameSize); },
       BootInfoError::kModuleNameUnterminated},
      {[](uapi::BootInfo& i) { i.kernel_phys_size = 0x200000; },
       BootInfoError::kKernelNotInKernelRange},
      {[](uapi::BootInfo& i) { std::memset(i.command_line, 'x', uapi::kCommandLineSize); },
       BootInfoError::kCommandLineUnterminated},
  };
  for (const auto& c : cases) {
    auto info = ValidInfo();
    c.breakit(*info);
    auto result = CheckBootInfo(*info);
    ASSERT_FALSE(result.ok()) << BootInfoErrorString(c.expected);
    EXPECT_EQ(result.error(), c.expected) << BootInfoErrorString(result.error());
  }
}

TEST(BootInfoCheckTest, SummaryAddsUpPerKind) {
  auto summary = SummarizeMemory(*ValidInfo());
  EXPECT_EQ(summary.bytes[static_cast<int>(MemoryKind::kUsable)], 0x9f000u + 0x1000000u);
  EXPECT_EQ(summary.bytes[static_cast<int>(MemoryKind::kKernel)], 0x100000u);
  EXPECT_EQ(summary.ram_bytes, 0x9f000u + 0x100000u + 0x3000u + 0x1000000u);
  EXPECT_EQ(summary.highest_address, 0xfec01000u);
  EXPECT_STREQ(MemoryKindName(MemoryKind::kAcpiNvs), "acpi-nvs");
}

}  // namespace
}  // namespace hiillos::boot
