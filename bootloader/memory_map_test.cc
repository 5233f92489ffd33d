// bootloader/memory_map_test.cc — host tests for the BootInfo memory map builder.
#include "bootloader/memory_map.h"

#include <vector>

#include "gtest/gtest.h"

namespace hiillos::loader {
namespace {

using uapi::MemoryKind;
using uapi::MemoryRange;

struct Built {
  bool ok;
  MemoryMapError error;
  std::vector<MemoryRange> ranges;
};

Built Build(const std::vector<RangeInput>& inputs, size_t capacity = uapi::kMaxMemoryRanges) {
  std::vector<uint64_t> scratch(2 * inputs.size() + 1);
  std::vector<MemoryRange> out(capacity + 1);
  auto result = BuildMemoryMap(inputs.data(), inputs.size(), scratch.data(), scratch.size(),
                               out.data(), capacity);
  if (!result.ok()) return {false, result.error(), {}};
  out.resize(result.value());
  return {true, MemoryMapError::kScratchTooSmall, out};
}

void ExpectRange(const MemoryRange& r, uint64_t base, uint64_t size, MemoryKind kind) {
  EXPECT_EQ(r.base, base);
  EXPECT_EQ(r.size, size);
  EXPECT_EQ(r.kind, kind);
  EXPECT_EQ(r.reserved0, 0u);
}

// Checks the properties BootInfo promises: sorted, page aligned, non-overlapping, merged.
void ExpectNormalised(const std::vector<MemoryRange>& ranges) {
  for (size_t i = 0; i < ranges.size(); ++i) {
    EXPECT_EQ(ranges[i].base % 4096, 0u);
    EXPECT_EQ(ranges[i].size % 4096, 0u);
    EXPECT_GT(ranges[i].size, 0u);
    if (i == 0) continue;
    const MemoryRange& prev = ranges[i - 1];
    EXPECT_LE(prev.base + prev.size, ranges[i].base) << i;
    if (prev.base + prev.size == ranges[i].base) EXPECT_NE(prev.kind, ranges[i].kind) << i;
  }
}

TEST(KindFromUefiType, MapsEveryStandardType) {
  EXPECT_EQ(KindFromUefiType(0), MemoryKind::kReserved);
  EXPECT_EQ(KindFromUefiType(1), MemoryKind::kLoaderReclaimable);
  EXPECT_EQ(KindFromUefiType(2), MemoryKind::kLoaderReclaimable);
  EXPECT_EQ(KindFromUefiType(3), MemoryKind::kLoaderReclaimable);
  EXPECT_EQ(KindFromUefiType(4), MemoryKind::kLoaderReclaimable);
  EXPECT_EQ(KindFromUefiType(5), MemoryKind::kReserved);
  EXPECT_EQ(KindFromUefiType(6), MemoryKind::kReserved);
  EXPECT_EQ(KindFromUefiType(7), MemoryKind::kUsable);
  EXPECT_EQ(KindFromUefiType(8), MemoryKind::kUnusable);
  EXPECT_EQ(KindFromUefiType(9), MemoryKind::kAcpiReclaimable);
  EXPECT_EQ(KindFromUefiType(10), MemoryKind::kAcpiNvs);
  EXPECT_EQ(KindFromUefiType(11), MemoryKind::kMmio);
  EXPECT_EQ(KindFromUefiType(12), MemoryKind::kMmio);
  EXPECT_EQ(KindFromUefiType(13), MemoryKind::kReserved);
  EXPECT_EQ(KindFromUefiType(14), MemoryKind::kReserved);
  EXPECT_EQ(KindFromUefiType(15), MemoryKind::kUnusable);
  EXPECT_EQ(KindFromUefiType(0x7000'0000), MemoryKind::kReserved);
  EXPECT_EQ(KindFromUefiType(0x8000'0001), MemoryKind::kReserved);
}

TEST(BuildMemoryMap, EmptyInput) {
  Built b = Build({});
  ASSERT_TRUE(b.ok);
  EXPECT_TRUE(b.ranges.empty());
}

TEST(BuildMemoryMap, SortsUnsortedInputAndKeepsHoles) {
  Built b = Build({{0x100000, 0x10000, MemoryKind::kUsable},
                   {0x0, 0xa0000, MemoryKind::kUsable},
                   {0xe0000, 0x20000, MemoryKind::kReserved}});
  ASSERT_TRUE(b.ok);
  ASSERT_EQ(b.ranges.size(), 3u);
  ExpectRange(b.ranges[0], 0x0, 0xa0000, MemoryKind::kUsable);  // hole 0xa0000..0xe0000 stays
  ExpectRange(b.ranges[1], 0xe0000, 0x20000, MemoryKind::kReserved);
  ExpectRange(b.ranges[2], 0x100000, 0x10000, MemoryKind::kUsable);
  ExpectNormalised(b.ranges);
}

TEST(BuildMemoryMap, MergesAdjacentSameKind) {
  // Boot services code + data + loader data are all reclaimable: one range.
  Built b = Build({{0x1000, 0x1000, KindFromUefiType(3)},
                   {0x2000, 0x3000, KindFromUefiType(4)},
                   {0x5000, 0x1000, KindFromUefiType(2)},
                   {0x6000, 0x1000, KindFromUefiType(7)}});
  ASSERT_TRUE(b.ok);
  ASSERT_EQ(b.ranges.size(), 2u);
  ExpectRange(b.ranges[0], 0x1000, 0x5000, MemoryKind::kLoaderReclaimable);
  ExpectRange(b.ranges[1], 0x6000, 0x1000, MemoryKind::kUsable);
}

TEST(BuildMemoryMap, AllocationsSplitLoaderData) {
  // Loader data 0x100000..0x200000 holding the kernel and a module; the rest stays reclaimable.
  Built b = Build({{0x100000, 0x100000, MemoryKind::kLoaderReclaimable},
                   {0x120000, 0x10000, MemoryKind::kKernel},
                   {0x130000, 0x4000, MemoryKind::kModule},
                   {0x1ff000, 0x1000, MemoryKind::kBootData}});
  ASSERT_TRUE(b.ok);
  ASSERT_EQ(b.ranges.size(), 5u);
  ExpectRange(b.ranges[0], 0x100000, 0x20000, MemoryKind::kLoaderReclaimable);
  ExpectRange(b.ranges[1], 0x120000, 0x10000, MemoryKind::kKernel);
  ExpectRange(b.ranges[2], 0x130000, 0x4000, MemoryKind::kModule);
  ExpectRange(b.ranges[3], 0x134000, 0x1ff000 - 0x134000, MemoryKind::kLoaderReclaimable);
  ExpectRange(b.ranges[4], 0x1ff000, 0x1000, MemoryKind::kBootData);
  ExpectNormalised(b.ranges);
}

TEST(BuildMemoryMap, FramebufferInsideMmioOrInNoDescriptor) {
  Built inside = Build({{0x80000000, 0x10000000, MemoryKind::kMmio},
                        {0x80000000, 0x300000, MemoryKind::kFramebuffer}});
  ASSERT_TRUE(inside.ok);
  ASSERT_EQ(inside.ranges.size(), 2u);
  ExpectRange(inside.ranges[0], 0x80000000, 0x300000, MemoryKind::kFramebuffer);
  ExpectRange(inside.ranges[1], 0x80300000, 0x10000000 - 0x300000, MemoryKind::kMmio);
  // Not in the firmware map at all, and not page-sized: rounded out to whole pages.
  Built alone =
      Build({{0x0, 0x1000, MemoryKind::kUsable}, {0xc0000010, 0x1f00, MemoryKind::kFramebuffer}});
  ASSERT_TRUE(alone.ok);
  ASSERT_EQ(alone.ranges.size(), 2u);
  ExpectRange(alone.ranges[1], 0xc0000000, 0x2000, MemoryKind::kFramebuffer);
}

TEST(BuildMemoryMap, OverlappingFirmwareEntriesTakeTheSaferKind) {
  Built b = Build({{0x0, 0x10000, MemoryKind::kUsable},
                   {0x4000, 0x2000, MemoryKind::kReserved},
                   {0x8000, 0x10000, MemoryKind::kAcpiNvs}});
  ASSERT_TRUE(b.ok);
  ASSERT_EQ(b.ranges.size(), 4u);
  ExpectRange(b.ranges[0], 0x0, 0x4000, MemoryKind::kUsable);
  ExpectRange(b.ranges[1], 0x4000, 0x2000, MemoryKind::kReserved);
  ExpectRange(b.ranges[2], 0x6000, 0x2000, MemoryKind::kUsable);
  ExpectRange(b.ranges[3], 0x8000, 0x10000, MemoryKind::kAcpiNvs);
}

TEST(BuildMemoryMap, PriorityOrderOfEveryKind) {
  // Each kind in turn laid over all lower ones: the top one must win.
  const MemoryKind order[] = {MemoryKind::kUsable,          MemoryKind::kLoaderReclaimable,
                              MemoryKind::kAcpiReclaimable, MemoryKind::kMmio,
                              MemoryKind::kAcpiNvs,         MemoryKind::kReserved,
                              MemoryKind::kUnusable,        MemoryKind::kFramebuffer,
                              MemoryKind::kBootData,        MemoryKind::kModule,
                              MemoryKind::kKernel};
  for (size_t top = 0; top < std::size(order); ++top) {
    std::vector<RangeInput> inputs;
    for (size_t i = 0; i <= top; ++i) inputs.push_back({0x1000, 0x1000, order[i]});
    // Reverse too, so input order does not decide.
    std::vector<RangeInput> reversed(inputs.rbegin(), inputs.rend());
    for (const auto& set : {inputs, reversed}) {
      Built b = Build(set);
      ASSERT_TRUE(b.ok);
      ASSERT_EQ(b.ranges.size(), 1u);
      EXPECT_EQ(b.ranges[0].kind, order[top]) << top;
    }
  }
}

TEST(BuildMemoryMap, OverflowingEndIsClampedAndZeroSizeIgnored) {
  Built b = Build({{0xffff'ffff'ffff'0000ull, 0x20000, MemoryKind::kReserved},
                   {0x5000, 0, MemoryKind::kKernel}});
  ASSERT_TRUE(b.ok);
  ASSERT_EQ(b.ranges.size(), 1u);
  ExpectRange(b.ranges[0], 0xffff'ffff'ffff'0000ull, 0xf000, MemoryKind::kReserved);
}

TEST(BuildMemoryMap, TooManyRanges) {
  std::vector<RangeInput> inputs;
  for (uint64_t i = 0; i < 10; ++i) {
    inputs.push_back({i * 0x2000, 0x1000, MemoryKind::kUsable});  // holes prevent merging
  }
  Built fits = Build(inputs, 10);
  ASSERT_TRUE(fits.ok);
  EXPECT_EQ(fits.ranges.size(), 10u);
  Built over = Build(inputs, 9);
  ASSERT_FALSE(over.ok);
  EXPECT_EQ(over.error, MemoryMapError::kTooManyRanges);
}

TEST(BuildMemoryMap, ScratchTooSmall) {
  RangeInput inputs[2] = {{0, 0x1000, MemoryKind::kUsable}, {0x1000, 0x1000, MemoryKind::kMmio}};
  uint64_t scratch[3];
  MemoryRange out[4];
  auto result = BuildMemoryMap(inputs, 2, scratch, 3, out, 4);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), MemoryMapError::kScratchTooSmall);
  EXPECT_STRNE(MemoryMapErrorString(result.error()), "unknown memory map error");
}

// An OVMF-like map (q35, 512 MiB) with the loader's allocations: a smoke test of the whole path.
TEST(BuildMemoryMap, OvmfLikeMap) {
  std::vector<RangeInput> inputs = {
      {0x0, 0xa0000, KindFromUefiType(7)},
      {0x100000, 0x700000, KindFromUefiType(7)},
      {0x800000, 0x8000, KindFromUefiType(10)},
      {0x808000, 0x8000, KindFromUefiType(7)},
      {0x810000, 0xf0000, KindFromUefiType(10)},
      {0x900000, 0x1e000000, KindFromUefiType(7)},
      {0x1e900000, 0x200000, KindFromUefiType(2)},
      {0x1eb00000, 0x1000000, KindFromUefiType(4)},
      {0x1fb00000, 0x100000, KindFromUefiType(3)},
      {0x1fc00000, 0x200000, KindFromUefiType(6)},
      {0x1fe00000, 0x100000, KindFromUefiType(9)},
      {0x1ff00000, 0x100000, KindFromUefiType(10)},
      {0xb0000000, 0x10000000, KindFromUefiType(11)},
      {0xffc00000, 0x400000, KindFromUefiType(11)},
      {0xfd00'0000'0000ull, 0x3'0000'0000ull, KindFromUefiType(0)},
      {0x1e900000, 0x20000, MemoryKind::kKernel},
      {0x1e920000, 0x4000, MemoryKind::kModule},
      {0x1e924000, 0x2000, MemoryKind::kBootData},
      {0x80000000, 0x300000, MemoryKind::kFramebuffer},
  };
  Built b = Build(inputs);
  ASSERT_TRUE(b.ok);
  ExpectNormalised(b.ranges);
  uint64_t usable = 0;
  for (const MemoryRange& r : b.ranges) {
    if (r.kind == MemoryKind::kUsable) usable += r.size;
  }
  EXPECT_EQ(usable, 0xa0000u + 0x700000 + 0x8000 + 0x1e000000);
}

}  // namespace
}  // namespace hiillos::loader
