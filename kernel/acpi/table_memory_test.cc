// kernel/acpi/table_memory_test.cc — host tests of the ACPI read policy.
#include "kernel/acpi/table_memory.h"

#include <gtest/gtest.h>

namespace hiillos::acpi {
namespace {

using uapi::MemoryKind;
using uapi::MemoryRange;

constexpr uint64_t kGiB = 1ull << 30;

const MemoryRange kMap[] = {
    {0x0, 0x9f000, MemoryKind::kUsable, 0},
    {0x100000, 0x1000000, MemoryKind::kUsable, 0},
    {0x1100000, 0x10000, MemoryKind::kAcpiReclaimable, 0},
    {0x1110000, 0x10000, MemoryKind::kAcpiNvs, 0},
    {0x1120000, 0x10000, MemoryKind::kKernel, 0},
    {0x1200000, 0x100000, MemoryKind::kReserved, 0},
    {0xfec00000, 0x1000, MemoryKind::kMmio, 0},
};
constexpr uint32_t kCount = sizeof(kMap) / sizeof(kMap[0]);

TEST(AcpiRangeReadable, FirmwareKindsAndHolesAreReadable) {
  EXPECT_TRUE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 0x1100000, 36));
  EXPECT_TRUE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 0x1110010, 0x100));
  EXPECT_TRUE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 0x1200000, 0x100000));
  EXPECT_TRUE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 0xe0000, 0x20000));    // legacy hole
  EXPECT_TRUE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 0x1100000, 0x20000));  // reclaim + NVS
  EXPECT_TRUE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 0x5000, 0));           // empty read
}

TEST(AcpiRangeReadable, KernelOwnedMemoryIsNot) {
  EXPECT_FALSE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 0x2000, 8));        // usable
  EXPECT_FALSE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 0x1120000, 8));     // kernel
  EXPECT_FALSE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 0x111fff8, 16));    // straddles
  EXPECT_FALSE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 0xfec00000, 4));    // MMIO
  EXPECT_FALSE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 0x9e000, 0x2000));  // tail of usable
}

TEST(AcpiRangeReadable, WrapAndLimit) {
  EXPECT_FALSE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, ~0ull - 3, 8));
  EXPECT_FALSE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 4 * kGiB - 4, 8));
  EXPECT_TRUE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 4 * kGiB - 8, 8));
  EXPECT_TRUE(AcpiRangeReadable(kMap, kCount, 4 * kGiB, 4 * kGiB, 0));  // empty, at the limit
}

TEST(AcpiRangeReadable, UnknownKindsCountAsKernelOwned) {
  MemoryRange odd[] = {{0x1000, 0x1000, static_cast<MemoryKind>(99), 0}};
  EXPECT_FALSE(AcpiRangeReadable(odd, 1, 4 * kGiB, 0x1000, 8));
  MemoryRange wraps[] = {{0xffff'ffff'ffff'f000ull, 0x2000, MemoryKind::kUsable, 0}};
  EXPECT_FALSE(AcpiRangeReadable(wraps, 1, ~0ull, 0xffff'ffff'ffff'f800ull, 8));
}

TEST(DirectMapLimit, AtLeastFourGiBRoundedToGiB) {
  EXPECT_EQ(DirectMapLimit(kMap, kCount), 4 * kGiB);
  EXPECT_EQ(DirectMapLimit(nullptr, 0), 4 * kGiB);
  MemoryRange big[] = {{0x1'0000'0000ull, 0x1000'0000, MemoryKind::kUsable, 0}};
  EXPECT_EQ(DirectMapLimit(big, 1), 5 * kGiB);
  MemoryRange wraps[] = {{~0ull - 0xfff, 0x2000, MemoryKind::kReserved, 0}};
  EXPECT_EQ(DirectMapLimit(wraps, 1), 4 * kGiB);  // garbage entry ignored
}

}  // namespace
}  // namespace hiillos::acpi
