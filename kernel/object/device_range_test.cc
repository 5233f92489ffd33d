// kernel/object/device_range_test.cc — CheckDeviceRange: which physical ranges count as device
// memory against a firmware map.
#include "kernel/object/device_range.h"

#include <gtest/gtest.h>

namespace hiillos::object {
namespace {

using uapi::MemoryKind;
using uapi::MemoryRange;
using Verdict = DeviceRangeVerdict;

constexpr uint64_t kPage = 0x1000;

// A q35-like map: low RAM, the kernel, ACPI tables, RAM, reserved ECAM, firmware MMIO.
const MemoryRange kMap[] = {
    {0x0, 0xa0000, MemoryKind::kUsable, 0},
    {0x100000, 0x100000, MemoryKind::kKernel, 0},
    {0x200000, 0x7e00000, MemoryKind::kUsable, 0},
    {0x7f000000, 0x10000, MemoryKind::kAcpiReclaimable, 0},
    {0x7f010000, 0x10000, MemoryKind::kAcpiNvs, 0},
    {0x7f020000, 0x10000, MemoryKind::kBootData, 0},
    {0xb0000000, 0x10000000, MemoryKind::kReserved, 0},
    {0xffc00000, 0x400000, MemoryKind::kMmio, 0},
};
constexpr size_t kCount = sizeof(kMap) / sizeof(kMap[0]);

Verdict Check(uint64_t phys, uint64_t size) {
  return CheckDeviceRange(kMap, kCount, phys, size);
}

TEST(DeviceRangeTest, HolesAndNonRamKindsAreDevices) {
  EXPECT_EQ(Check(0xc0000000, kPage), Verdict::kDevice);       // a PCI BAR in a hole
  EXPECT_EQ(Check(0xb0000000, 0x10000000), Verdict::kDevice);  // ECAM (reserved)
  EXPECT_EQ(Check(0x7f000000, 0x20000), Verdict::kDevice);     // ACPI tables and NVS
  EXPECT_EQ(Check(0xffc00000, 0x400000), Verdict::kDevice);    // firmware MMIO
  EXPECT_EQ(Check(0xa0000, 0x60000), Verdict::kDevice);        // legacy VGA hole
  EXPECT_EQ(Check(0x8000000000ull, kPage), Verdict::kDevice);  // 64-bit BAR above RAM
  EXPECT_EQ(Check(kDevicePhysicalLimit - kPage, kPage), Verdict::kDevice);
}

TEST(DeviceRangeTest, RamIsRefusedEvenByOnePage) {
  EXPECT_EQ(Check(0x0, kPage), Verdict::kRam);
  EXPECT_EQ(Check(0x9f000, 0x2000), Verdict::kRam);     // last RAM page + hole
  EXPECT_EQ(Check(0x100000, kPage), Verdict::kRam);     // kernel image
  EXPECT_EQ(Check(0x7f01f000, 0x2000), Verdict::kRam);  // NVS + boot data
  EXPECT_EQ(Check(0x1000, 0xfffff000), Verdict::kRam);  // spans everything
  const MemoryRange others[] = {
      {0x10000, kPage, MemoryKind::kLoaderReclaimable, 0},
      {0x20000, kPage, MemoryKind::kModule, 0},
      {0x30000, kPage, MemoryKind::kUnusable, 0},
      {0x40000, kPage, static_cast<MemoryKind>(99), 0},  // unknown: treated as RAM
      {0x50000, kPage, MemoryKind::kFramebuffer, 0},
  };
  for (uint64_t base : {0x10000ull, 0x20000ull, 0x30000ull, 0x40000ull}) {
    EXPECT_EQ(CheckDeviceRange(others, 5, base, kPage), Verdict::kRam) << base;
  }
  EXPECT_EQ(CheckDeviceRange(others, 5, 0x50000, kPage), Verdict::kDevice);
}

TEST(DeviceRangeTest, MalformedRangesAreInvalid) {
  EXPECT_EQ(Check(0xc0000000, 0), Verdict::kInvalid);
  EXPECT_EQ(Check(0xc0000001, kPage), Verdict::kInvalid);
  EXPECT_EQ(Check(0xc0000000, kPage + 1), Verdict::kInvalid);
  EXPECT_EQ(Check(~uint64_t{0} & ~(kPage - 1), kPage), Verdict::kInvalid);      // beyond limit
  EXPECT_EQ(Check(~uint64_t{0} & ~(kPage - 1), 2 * kPage), Verdict::kInvalid);  // wraps
  EXPECT_EQ(Check(kDevicePhysicalLimit, kPage), Verdict::kInvalid);
}

TEST(DeviceRangeTest, WrappingAndEmptyEntriesAreHandled) {
  const MemoryRange odd[] = {
      {0xfffffffffffff000ull, 0x2000, MemoryKind::kUsable, 0},  // wraps: reaches the top
      {0xc0000000, 0, MemoryKind::kUsable, 0},                  // empty: ignored
  };
  EXPECT_EQ(CheckDeviceRange(odd, 2, 0xc0000000, kPage), Verdict::kDevice);
  EXPECT_EQ(CheckDeviceRange(odd, 0, 0x0, kPage), Verdict::kDevice);  // no map: all device
}

}  // namespace
}  // namespace hiillos::object
