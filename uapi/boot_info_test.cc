// Host tests for the BootInfo layout: the loader and kernel must agree byte for byte.
#include "uapi/boot_info.h"

#include <gtest/gtest.h>

#include <cstring>

namespace hiillos::uapi {
namespace {

TEST(BootInfoTest, MagicSpellsHiillos) {
  char text[9] = {};
  std::memcpy(text, &kBootInfoMagic, 8);
  EXPECT_STREQ(text, "HIILLOS1");
}

TEST(BootInfoTest, LayoutIsFixed) {
  EXPECT_EQ(offsetof(BootInfo, kernel_phys_base), 24u);
  EXPECT_EQ(offsetof(BootInfo, acpi_rsdp), 56u);
  EXPECT_EQ(offsetof(BootInfo, tsc_handoff), 72u);
  EXPECT_EQ(offsetof(BootInfo, modules), 120u + 24u * kMaxMemoryRanges);
  EXPECT_EQ(offsetof(BootInfo, command_line), 120u + 24u * kMaxMemoryRanges + 48u * kMaxModules);
  EXPECT_EQ(alignof(BootInfo), 8u);
}

TEST(BootInfoTest, VirtualLayoutIsCanonicalHigherHalf) {
  EXPECT_EQ(kHhdmBase >> 47, 0x1ffffu);
  EXPECT_EQ(kKernelBase >> 47, 0x1ffffu);
  EXPECT_LT(kHhdmBase, kKernelBase);
  EXPECT_EQ(kKernelStackSize % 4096, 0u);
}

}  // namespace
}  // namespace hiillos::uapi
