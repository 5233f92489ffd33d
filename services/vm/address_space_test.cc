// services/vm/address_space_test.cc — region insertion order, overlap and user-range checks,
// first-fit and best-fit search with guard gaps and alignment, carving and erasing.
#include "services/vm/address_space.h"

#include <gtest/gtest.h>

#include <memory>

#include "lib/base/page_size.h"

namespace hiillos::vm {
namespace {

constexpr uint64_t P = kPageSize;

Region Anon(uint64_t start, uint64_t pages) {
  return Region{start, pages, RegionKind::kAnonymous, kProtRead, kProtAll, 0};
}

std::unique_ptr<AddressSpace> Space(uint64_t budget_pages = 1 << 20) {
  auto space = std::make_unique<AddressSpace>();
  space->Reset(budget_pages);
  return space;
}

TEST(AddressSpaceTest, InsertKeepsRegionsSortedAndCharges) {
  auto space = Space();
  ASSERT_TRUE(space->CheckInsert(0x10000, 2).ok());
  space->Insert(Anon(0x10000, 2));
  space->Insert(Anon(0x4000, 1));
  space->Insert(Anon(0x20000, 3));
  ASSERT_EQ(space->region_count(), 3u);
  EXPECT_EQ(space->region(0).start, 0x4000u);
  EXPECT_EQ(space->region(1).start, 0x10000u);
  EXPECT_EQ(space->region(2).start, 0x20000u);
  EXPECT_EQ(space->charged_pages(), 6u);
  EXPECT_EQ(space->Find(0x11fff)->start, 0x10000u);
  EXPECT_EQ(space->Find(0x12000), nullptr);
  EXPECT_EQ(space->Find(0x3fff), nullptr);
}

TEST(AddressSpaceTest, CheckInsertRejectsOverlapNullPageHoleAndBudget) {
  auto space = Space(4);
  space->Insert(Anon(0x10000, 2));
  EXPECT_EQ(space->CheckInsert(0x11000, 1).error(), VmError::kOverlap);
  EXPECT_EQ(space->CheckInsert(0xf000, 2).error(), VmError::kOverlap);
  EXPECT_TRUE(space->CheckInsert(0xf000, 1).ok());
  EXPECT_TRUE(space->CheckInsert(0x12000, 2).ok());
  EXPECT_EQ(space->CheckInsert(0x12000, 3).error(), VmError::kOverBudget);
  EXPECT_EQ(space->CheckInsert(0, 1).error(), VmError::kOutsideUserSpace);
  EXPECT_EQ(space->CheckInsert(kUserEnd - P, 2).error(), VmError::kOutsideUserSpace);
  EXPECT_TRUE(space->CheckInsert(kUserEnd - P, 1).ok());
  EXPECT_EQ(space->CheckInsert(0x100000, ~uint64_t{0} / 2).error(),
            VmError::kOutsideUserSpace);  // page count overflows
}

TEST(AddressSpaceTest, CheckInsertStopsAtTheRegionLimit) {
  auto space = Space();
  for (uint64_t i = 0; i < kMaxRegions; ++i) space->Insert(Anon(0x10000 + 2 * i * P, 1));
  EXPECT_EQ(space->CheckInsert(0x1000, 1).error(), VmError::kTooManyRegions);
}

TEST(AddressSpaceTest, FirstFitLeavesGuardGapsAndAligns) {
  auto space = Space();
  EXPECT_EQ(space->FindFree(4, P, FitPolicy::kFirstFit).value(), kUserBase);
  space->Insert(Anon(0x1000, 4));  // [0x1000, 0x5000)
  // Next one starts one guard page after.
  EXPECT_EQ(space->FindFree(1, P, FitPolicy::kFirstFit).value(), 0x6000u);
  EXPECT_EQ(space->FindFree(1, 0x10000, FitPolicy::kFirstFit).value(), 0x10000u);
  space->Insert(Anon(0x9000, 1));  // gap [0x5000, 0x9000): 2 usable pages with guards
  EXPECT_EQ(space->FindFree(2, P, FitPolicy::kFirstFit).value(), 0x6000u);
  EXPECT_EQ(space->FindFree(3, P, FitPolicy::kFirstFit).value(), 0xb000u);
}

TEST(AddressSpaceTest, BestFitTakesTheTightestGap) {
  auto space = Space();
  space->Insert(Anon(0x1000, 1));
  space->Insert(Anon(0x10000, 1));  // gap [0x2000, 0x10000): 14 pages
  space->Insert(Anon(0x15000, 1));  // gap [0x11000, 0x15000): 4 pages
  EXPECT_EQ(space->FindFree(2, P, FitPolicy::kFirstFit).value(), 0x3000u);
  EXPECT_EQ(space->FindFree(2, P, FitPolicy::kBestFit).value(), 0x12000u);
  EXPECT_EQ(space->FindFree(3, P, FitPolicy::kBestFit).value(), 0x3000u);
}

TEST(AddressSpaceTest, FindFreeFailsWhenNothingFits) {
  auto space = Space();
  EXPECT_EQ(space->FindFree((kUserEnd - kUserBase) / P + 1, P, FitPolicy::kFirstFit).error(),
            VmError::kNoFreeRange);
  EXPECT_EQ(space->FindFree(~uint64_t{0}, P, FitPolicy::kBestFit).error(), VmError::kNoFreeRange);
  EXPECT_TRUE(space->FindFree((kUserEnd - kUserBase) / P, P, FitPolicy::kFirstFit).ok());
}

TEST(AddressSpaceTest, ExamineCarveAndErase) {
  auto space = Space();
  space->Insert(Anon(0x10000, 4));  // [0x10000, 0x14000)
  space->Insert(Anon(0x20000, 2));  // [0x20000, 0x22000)
  Region frame_backed = Anon(0x30000, 2);
  frame_backed.kind = RegionKind::kShared;
  space->Insert(frame_backed);

  RangeCover middle = space->Examine(0x11000, 2);
  EXPECT_EQ(middle.splits, 2u);
  EXPECT_EQ(middle.intersecting, 1u);
  EXPECT_FALSE(middle.has_hole);
  EXPECT_FALSE(middle.splits_frame);
  RangeCover across = space->Examine(0x13000, 0x10);
  EXPECT_EQ(across.splits, 1u);
  EXPECT_EQ(across.intersecting, 2u);
  EXPECT_TRUE(across.has_hole);
  EXPECT_TRUE(space->Examine(0x31000, 1).splits_frame);
  EXPECT_FALSE(space->Examine(0x30000, 2).splits_frame);
  EXPECT_EQ(space->Examine(0x40000, 1).intersecting, 0u);

  size_t first = 0, last = 0;
  space->Carve(0x11000, 2, &first, &last);
  ASSERT_EQ(space->region_count(), 5u);
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(last, 2u);
  EXPECT_EQ(space->region(0).pages, 1u);
  EXPECT_EQ(space->region(1).start, 0x11000u);
  EXPECT_EQ(space->region(1).pages, 2u);
  EXPECT_EQ(space->region(2).start, 0x13000u);
  EXPECT_EQ(space->charged_pages(), 8u);  // splitting charges nothing
  space->Erase(first, last);
  EXPECT_EQ(space->region_count(), 4u);
  EXPECT_EQ(space->charged_pages(), 6u);
}

}  // namespace
}  // namespace hiillos::vm
