// services/vm/vm_state_test.cc — the vm server's operations one by one: anonymous memory and
// lazy faults, shared frames across processes, ELF segments, unmap and protect with splitting,
// W^X, budgets, and teardown in bounded steps that releases every frame exactly once.
#include "services/vm/vm_state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "lib/base/page_size.h"

namespace hiillos::vm {
namespace {

constexpr uint64_t P = kPageSize;
constexpr uint8_t kRW = kProtRead | kProtWrite;
constexpr uint8_t kRX = kProtRead | kProtExecute;
constexpr Placement kAnywhere{0, 0};
constexpr Placement At(uint64_t address) {
  return Placement{address, 0};
}

std::unique_ptr<VmState> NewState(FitPolicy policy = FitPolicy::kFirstFit) {
  return std::make_unique<VmState>(policy);
}

std::vector<FrameId> Released(VmState& vm) {
  std::vector<FrameId> out(kMaxFrames);
  out.resize(vm.TakeReleased(out.data(), out.size()));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(VmStateTest, ProcessesAreCreatedOnce) {
  auto vm = NewState();
  ASSERT_TRUE(vm->CreateProcess(1, 16 * P).ok());
  EXPECT_EQ(vm->CreateProcess(1, P).error(), VmError::kProcessExists);
  for (Pid pid = 2; pid <= kMaxProcesses; ++pid) ASSERT_TRUE(vm->CreateProcess(pid, P).ok());
  EXPECT_EQ(vm->CreateProcess(1000, P).error(), VmError::kProcessTableFull);
  EXPECT_EQ(vm->MapAnonymous(1000, P, kAnywhere, kRW).error(), VmError::kNoSuchProcess);
}

TEST(VmStateTest, AnonymousMemoryFaultsInPageByPage) {
  auto vm = NewState();
  ASSERT_TRUE(vm->CreateProcess(1, 16 * P).ok());
  const uint64_t heap = vm->MapAnonymous(1, 4 * P, kAnywhere, kRW).value();
  EXPECT_EQ(heap, kUserBase);
  EXPECT_EQ(vm->ChargedBytes(1), 4 * P);

  auto plan = vm->Fault(1, heap + P + 123, Access::kWrite);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan.value().page, heap + P);
  EXPECT_EQ(plan.value().protection, kRW);
  ASSERT_TRUE(vm->CommitPage(1, heap + P, 100).ok());
  EXPECT_EQ(vm->CommitPage(1, heap + P, 101).error(), VmError::kAlreadyResident);
  EXPECT_EQ(vm->FrameRefs(100), 1u);
  EXPECT_EQ(vm->ResidentPages(1), 1u);
  // A fault on a resident page, outside every region, in the null page or against the
  // protection kills the process.
  EXPECT_EQ(vm->Fault(1, heap + P, Access::kWrite).error(), VmError::kSegfault);
  EXPECT_EQ(vm->Fault(1, heap + 4 * P, Access::kRead).error(), VmError::kSegfault);
  EXPECT_EQ(vm->Fault(1, 0, Access::kRead).error(), VmError::kSegfault);
  EXPECT_EQ(vm->Fault(1, heap, Access::kExecute).error(), VmError::kSegfault);
  EXPECT_EQ(vm->CommitPage(1, heap + 4 * P, 102).error(), VmError::kSegfault);
  EXPECT_EQ(vm->CommitPage(1, heap + 1, 102).error(), VmError::kBadArgument);
}

TEST(VmStateTest, MapRejectsBadArgumentsWxAndOverBudget) {
  auto vm = NewState();
  ASSERT_TRUE(vm->CreateProcess(1, 4 * P).ok());
  EXPECT_EQ(vm->MapAnonymous(1, 0, kAnywhere, kRW).error(), VmError::kBadArgument);
  EXPECT_EQ(vm->MapAnonymous(1, P + 1, kAnywhere, kRW).error(), VmError::kBadArgument);
  EXPECT_EQ(vm->MapAnonymous(1, P, kAnywhere, kProtWrite).error(), VmError::kBadArgument);
  EXPECT_EQ(vm->MapAnonymous(1, P, kAnywhere, 8 | kProtRead).error(), VmError::kBadArgument);
  EXPECT_EQ(vm->MapAnonymous(1, P, kAnywhere, kProtAll).error(), VmError::kWriteExecute);
  EXPECT_EQ(vm->MapAnonymous(1, P, Placement{0, 3 * P}, kRW).error(), VmError::kBadArgument);
  EXPECT_EQ(vm->MapAnonymous(1, P, Placement{0x1800, 0}, kRW).error(), VmError::kBadArgument);
  EXPECT_EQ(vm->MapAnonymous(1, P, At(kUserEnd), kRW).error(), VmError::kOutsideUserSpace);
  EXPECT_EQ(vm->MapAnonymous(1, 5 * P, kAnywhere, kRW).error(), VmError::kOverBudget);
  ASSERT_TRUE(vm->MapAnonymous(1, 3 * P, At(0x100000), kRX).ok());
  EXPECT_EQ(vm->MapAnonymous(1, P, At(0x102000), kRW).error(), VmError::kOverlap);
  EXPECT_EQ(vm->MapAnonymous(1, 2 * P, At(0x200000), kRW).error(), VmError::kOverBudget);
  ASSERT_TRUE(vm->MapAnonymous(1, P, At(0x200000), kRW).ok());
  EXPECT_EQ(vm->ChargedBytes(1), 4 * P);
  EXPECT_EQ(vm->Space(1)->region_count(), 2u);
}

TEST(VmStateTest, SharedFramesAreCountedAcrossProcesses) {
  auto vm = NewState();
  ASSERT_TRUE(vm->CreateProcess(1, 16 * P).ok());
  ASSERT_TRUE(vm->CreateProcess(2, 16 * P).ok());
  const uint64_t a = vm->MapFrame(1, 500, 4 * P, RegionKind::kShared, kAnywhere, kRW).value();
  EXPECT_EQ(vm->FrameRefs(500), 1u);
  EXPECT_EQ(vm->Share(1, a + P, 2, kAnywhere, kRX).error(), VmError::kProtectionDenied);
  EXPECT_EQ(vm->Share(1, a + 4 * P, 2, kAnywhere, kProtRead).error(), VmError::kNotMapped);
  const uint64_t b = vm->Share(1, a + P, 2, kAnywhere, kProtRead).value();
  EXPECT_EQ(vm->FrameRefs(500), 2u);
  EXPECT_EQ(vm->ChargedBytes(2), 4 * P);  // each process pays for what it maps
  // The receiver got it read-only and cannot make it writable.
  EXPECT_EQ(vm->Protect(2, b, 4 * P, kRW).error(), VmError::kProtectionDenied);
  // Frames map whole: no partial unmap or protect, and no faults on them.
  EXPECT_EQ(vm->Unmap(1, a, P).error(), VmError::kSplitsFrame);
  EXPECT_EQ(vm->Protect(1, a + P, P, kProtRead).error(), VmError::kSplitsFrame);
  EXPECT_EQ(vm->Fault(2, b, Access::kRead).error(), VmError::kSegfault);

  ASSERT_TRUE(vm->Unmap(1, a, 4 * P).ok());
  EXPECT_EQ(vm->FrameRefs(500), 1u);
  EXPECT_TRUE(Released(*vm).empty());  // process 2 still maps it
  ASSERT_TRUE(vm->Unmap(2, b, 4 * P).ok());
  EXPECT_EQ(vm->FrameRefs(500), 0u);
  EXPECT_EQ(Released(*vm), std::vector<FrameId>{500});
  EXPECT_EQ(vm->ChargedBytes(1) + vm->ChargedBytes(2), 0u);
}

TEST(VmStateTest, ShareChecksBothSidesAndSurvivesEitherSideGoingFirst) {
  auto vm = NewState();
  ASSERT_TRUE(vm->CreateProcess(1, 16 * P).ok());
  ASSERT_TRUE(vm->CreateProcess(2, 3 * P).ok());
  ASSERT_TRUE(vm->CreateProcess(3, 16 * P).ok());
  const uint64_t a = vm->MapFrame(1, 500, 2 * P, RegionKind::kShared, kAnywhere, kRW).value();
  // Unknown processes on either side.
  EXPECT_EQ(vm->Share(9, a, 2, kAnywhere, kRW).error(), VmError::kNoSuchProcess);
  EXPECT_EQ(vm->Share(1, a, 9, kAnywhere, kRW).error(), VmError::kNoSuchProcess);
  // The receiver pays for what it maps: 2 pages fit its 3-page budget once, not twice.
  const uint64_t b = vm->Share(1, a, 2, kAnywhere, kRW).value();
  EXPECT_EQ(vm->Share(1, a, 2, kAnywhere, kRW).error(), VmError::kOverBudget);
  EXPECT_EQ(vm->ChargedBytes(2), 2 * P);
  EXPECT_EQ(vm->FrameRefs(500), 2u);
  // The receiver may share on what it got, never above the protection it was given.
  ASSERT_TRUE(vm->Protect(2, b, 2 * P, kProtRead).ok());
  EXPECT_EQ(vm->Share(2, b, 3, kAnywhere, kRW).error(), VmError::kProtectionDenied);
  const uint64_t c = vm->Share(2, b, 3, kAnywhere, kProtRead).value();
  EXPECT_EQ(vm->FrameRefs(500), 3u);
  // A failed share changed nothing.
  EXPECT_EQ(vm->Space(3)->region_count(), 1u);
  // A dying process can neither share nor be shared into.
  ASSERT_TRUE(vm->CreateProcess(4, 16 * P).ok());
  ASSERT_TRUE(vm->MapAnonymous(1, P, kAnywhere, kRW).ok());  // two regions: two steps
  ASSERT_FALSE(vm->Teardown(1, 1).value().done);             // one step: process 1 is dying
  EXPECT_EQ(vm->Share(1, a, 4, kAnywhere, kProtRead).error(), VmError::kDying);
  EXPECT_EQ(vm->Share(3, c, 1, kAnywhere, kProtRead).error(), VmError::kDying);
  // The sharer goes first: the frame stays for the others, released with the last of them.
  while (!vm->Teardown(1, 4).value().done) {
  }
  EXPECT_TRUE(Released(*vm).empty());
  EXPECT_EQ(vm->FrameRefs(500), 2u);
  ASSERT_TRUE(vm->Unmap(3, c, 2 * P).ok());
  EXPECT_TRUE(Released(*vm).empty());
  while (!vm->Teardown(2, 4).value().done) {
  }
  EXPECT_EQ(Released(*vm), std::vector<FrameId>{500});
  EXPECT_EQ(vm->frames().used_count(), 0u);
}

TEST(VmStateTest, OnlySharedRegionsCanBeShared) {
  auto vm = NewState();
  ASSERT_TRUE(vm->CreateProcess(1, 16 * P).ok());
  ASSERT_TRUE(vm->CreateProcess(2, 16 * P).ok());
  const uint64_t text =
      vm->MapFrame(1, 7, 2 * P, RegionKind::kElfSegment, At(0x400000), kRX).value();
  EXPECT_EQ(text, 0x400000u);
  const uint64_t heap = vm->MapAnonymous(1, P, kAnywhere, kRW).value();
  EXPECT_EQ(vm->Share(1, text, 2, kAnywhere, kProtRead).error(), VmError::kNotShared);
  EXPECT_EQ(vm->Share(1, heap, 2, kAnywhere, kProtRead).error(), VmError::kNotShared);
  EXPECT_EQ(vm->MapFrame(1, 8, P, RegionKind::kAnonymous, kAnywhere, kRW).error(),
            VmError::kBadArgument);
  // Segment frames are private; their protection can change whole, W^X still holds.
  EXPECT_EQ(vm->Protect(1, text, 2 * P, kProtAll).error(), VmError::kWriteExecute);
  ASSERT_TRUE(vm->Protect(1, text, 2 * P, kProtRead).ok());
  EXPECT_EQ(vm->Space(1)->Find(text)->protection, kProtRead);
}

TEST(VmStateTest, PartialUnmapSplitsAndReleasesOnlyThosePages) {
  auto vm = NewState();
  ASSERT_TRUE(vm->CreateProcess(1, 16 * P).ok());
  const uint64_t base = vm->MapAnonymous(1, 8 * P, At(0x10000), kRW).value();
  for (uint64_t i = 0; i < 8; ++i) ASSERT_TRUE(vm->CommitPage(1, base + i * P, 10 + i).ok());
  ASSERT_TRUE(vm->Unmap(1, base + 2 * P, 3 * P).ok());
  const AddressSpace& space = *vm->Space(1);
  ASSERT_EQ(space.region_count(), 2u);
  EXPECT_EQ(space.region(0).pages, 2u);
  EXPECT_EQ(space.region(1).start, base + 5 * P);
  EXPECT_EQ(space.region(1).pages, 3u);
  EXPECT_EQ(vm->ChargedBytes(1), 5 * P);
  EXPECT_EQ(Released(*vm), (std::vector<FrameId>{12, 13, 14}));
  EXPECT_EQ(vm->ResidentPages(1), 5u);
  // The hole faults; unmapping only the hole is an error; a range over hole and region is not.
  EXPECT_EQ(vm->Fault(1, base + 3 * P, Access::kRead).error(), VmError::kSegfault);
  EXPECT_EQ(vm->Unmap(1, base + 2 * P, 3 * P).error(), VmError::kNotMapped);
  ASSERT_TRUE(vm->Unmap(1, base, 6 * P).ok());
  EXPECT_EQ(Released(*vm), (std::vector<FrameId>{10, 11, 15}));
  EXPECT_EQ(vm->ChargedBytes(1), 2 * P);
  EXPECT_EQ(vm->Unmap(1, base + 1, P).error(), VmError::kBadArgument);
  EXPECT_EQ(vm->Unmap(1, 0, P).error(), VmError::kOutsideUserSpace);
}

TEST(VmStateTest, ProtectSplitsAndNeedsFullCover) {
  auto vm = NewState();
  ASSERT_TRUE(vm->CreateProcess(1, 16 * P).ok());
  const uint64_t base = vm->MapAnonymous(1, 6 * P, At(0x10000), kRW).value();
  ASSERT_TRUE(vm->Protect(1, base + 2 * P, 2 * P, kRX).ok());
  const AddressSpace& space = *vm->Space(1);
  ASSERT_EQ(space.region_count(), 3u);
  EXPECT_EQ(space.region(1).protection, kRX);
  EXPECT_EQ(space.region(2).protection, kRW);
  EXPECT_EQ(vm->ChargedBytes(1), 6 * P);
  EXPECT_EQ(vm->Fault(1, base + 2 * P, Access::kWrite).error(), VmError::kSegfault);
  EXPECT_TRUE(vm->Fault(1, base + 2 * P, Access::kExecute).ok());
  EXPECT_EQ(vm->Protect(1, base, 7 * P, kProtRead).error(), VmError::kNotMapped);
  EXPECT_EQ(vm->Protect(1, base, P, kProtAll).error(), VmError::kWriteExecute);
  ASSERT_TRUE(vm->Protect(1, base, 6 * P, kProtRead).ok());  // across all three pieces
}

TEST(VmStateTest, SplitsRespectTheRegionLimit) {
  auto vm = NewState();
  ASSERT_TRUE(vm->CreateProcess(1, 1024 * P).ok());
  const uint64_t big = vm->MapAnonymous(1, 8 * P, At(0x10000), kRW).value();
  for (uint64_t i = 1; i < kMaxRegions; ++i) {
    ASSERT_TRUE(vm->MapAnonymous(1, P, kAnywhere, kRW).ok()) << i;
  }
  EXPECT_EQ(vm->Unmap(1, big + P, P).error(), VmError::kTooManyRegions);
  EXPECT_EQ(vm->Protect(1, big, P, kProtRead).error(), VmError::kTooManyRegions);
  ASSERT_TRUE(vm->Unmap(1, big, P).ok());  // trimming an end needs no new region
  EXPECT_EQ(vm->Space(1)->region_count(), kMaxRegions);
}

TEST(VmStateTest, TeardownWorksInBoundedStepsAndFreesEverything) {
  auto vm = NewState();
  ASSERT_TRUE(vm->CreateProcess(1, 64 * P).ok());
  ASSERT_TRUE(vm->CreateProcess(2, 64 * P).ok());
  const uint64_t heap = vm->MapAnonymous(1, 10 * P, kAnywhere, kRW).value();
  for (uint64_t i = 0; i < 10; ++i) ASSERT_TRUE(vm->CommitPage(1, heap + i * P, 100 + i).ok());
  ASSERT_TRUE(vm->MapFrame(1, 200, P, RegionKind::kElfSegment, kAnywhere, kRX).ok());
  const uint64_t shm = vm->MapFrame(1, 300, 2 * P, RegionKind::kShared, kAnywhere, kRW).value();
  ASSERT_TRUE(vm->Share(1, shm, 2, kAnywhere, kRW).ok());

  std::vector<FrameId> freed;
  size_t calls = 0;
  for (bool done = false; !done; ++calls) {
    auto progress = vm->Teardown(1, 3);
    ASSERT_TRUE(progress.ok());
    EXPECT_LE(progress.value().steps, 3u);
    done = progress.value().done;
    if (!done) {
      EXPECT_EQ(vm->MapAnonymous(1, P, kAnywhere, kRW).error(), VmError::kDying);
    }
    FrameId chunk[2];
    for (size_t n; (n = vm->TakeReleased(chunk, 2)) > 0;)
      freed.insert(freed.end(), chunk, chunk + n);
  }
  // 10 pages + 3 regions in steps of at most 3.
  EXPECT_EQ(calls, 5u);
  std::sort(freed.begin(), freed.end());
  std::vector<FrameId> expected;
  for (FrameId i = 100; i < 110; ++i) expected.push_back(i);
  expected.push_back(200);
  EXPECT_EQ(freed, expected);  // 300 lives on in process 2
  EXPECT_EQ(vm->FrameRefs(300), 1u);
  EXPECT_EQ(vm->Space(1), nullptr);
  EXPECT_EQ(vm->Teardown(1, 1).error(), VmError::kNoSuchProcess);
  EXPECT_EQ(vm->frames().used_count(), 1u);
  // The pid can start again with a clean space.
  ASSERT_TRUE(vm->CreateProcess(1, P).ok());
  EXPECT_EQ(vm->ResidentPages(1), 0u);
}

TEST(VmStateTest, FrameTableFullIsAnError) {
  auto vm = NewState();
  ASSERT_TRUE(vm->CreateProcess(1, (kMaxFrames + 2) * P).ok());
  const uint64_t heap = vm->MapAnonymous(1, (kMaxFrames + 1) * P, kAnywhere, kRW).value();
  for (uint64_t i = 0; i < kMaxFrames; ++i) ASSERT_TRUE(vm->CommitPage(1, heap + i * P, i).ok());
  EXPECT_EQ(vm->CommitPage(1, heap + kMaxFrames * P, 1).error(), VmError::kFrameTableFull);
  EXPECT_EQ(vm->MapFrame(1, 9, P, RegionKind::kShared, kAnywhere, kRW).error(),
            VmError::kFrameTableFull);
  EXPECT_EQ(vm->ChargedBytes(1), (kMaxFrames + 1) * P);  // the failed map charged nothing
}

}  // namespace
}  // namespace hiillos::vm
