// kernel/arch/x86_64/low_memory_test.cc — host tests of the trampoline page choice.
#include "kernel/arch/x86_64/low_memory.h"

#include <gtest/gtest.h>

namespace hiillos::arch {
namespace {

using uapi::MemoryKind;
using uapi::MemoryRange;

TEST(FindLowPages, SkipsPageZeroAndTakesTheLowestUsable) {
  MemoryRange map[] = {{0x0, 0xa0000, MemoryKind::kUsable, 0}};
  uint64_t pages[2] = {};
  ASSERT_EQ(FindLowPages(map, 1, pages, 2), 2u);
  EXPECT_EQ(pages[0], 0x1000u);
  EXPECT_EQ(pages[1], 0x2000u);
}

TEST(FindLowPages, OnlyWholeUsablePagesBelowOneMiB) {
  MemoryRange map[] = {
      {0x0, 0x8000, MemoryKind::kReserved, 0},
      {0x8000, 0x800, MemoryKind::kUsable, 0},     // half a page
      {0x9000, 0x1000, MemoryKind::kBootData, 0},  // not usable
      {0xa000, 0x1000, MemoryKind::kUsable, 0},
      {0xff000, 0x2000, MemoryKind::kUsable, 0},  // straddles 1 MiB: only 0xff000 counts
  };
  uint64_t pages[4] = {};
  ASSERT_EQ(FindLowPages(map, 5, pages, 4), 2u);
  EXPECT_EQ(pages[0], 0xa000u);
  EXPECT_EQ(pages[1], 0xff000u);
}

TEST(FindLowPages, OverlappingOtherKindsWin) {
  // A lying map: usable and reserved overlap. Never hand out a page another range touches.
  MemoryRange map[] = {
      {0x1000, 0x4000, MemoryKind::kUsable, 0},
      {0x2800, 0x10, MemoryKind::kAcpiNvs, 0},
  };
  uint64_t pages[4] = {};
  ASSERT_EQ(FindLowPages(map, 2, pages, 4), 3u);
  EXPECT_EQ(pages[0], 0x1000u);
  EXPECT_EQ(pages[1], 0x3000u);
  EXPECT_EQ(pages[2], 0x4000u);
}

TEST(FindLowPages, NothingFreeAndWrappingRanges) {
  MemoryRange none[] = {{0x100000, 0x100000, MemoryKind::kUsable, 0}};
  uint64_t pages[2] = {};
  EXPECT_EQ(FindLowPages(none, 1, pages, 2), 0u);
  EXPECT_EQ(FindLowPages(nullptr, 0, pages, 2), 0u);
  MemoryRange wrapping[] = {
      {0x1000, 0x2000, MemoryKind::kUsable, 0},
      {0xffff'ffff'ffff'0000ull, 0x20000, MemoryKind::kReserved, 0},  // wraps past 2^64
  };
  // The wrapping reserved range reaches "the top", not low memory: pages stay usable.
  EXPECT_EQ(FindLowPages(wrapping, 2, pages, 2), 2u);
}

TEST(FindLowPages, StopsAtWanted) {
  MemoryRange map[] = {{0x0, 0xa0000, MemoryKind::kUsable, 0}};
  uint64_t pages[1] = {};
  EXPECT_EQ(FindLowPages(map, 1, pages, 1), 1u);
  EXPECT_EQ(FindLowPages(map, 1, pages, 0), 0u);
}

}  // namespace
}  // namespace hiillos::arch
