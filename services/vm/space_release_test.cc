// services/vm/space_release_test.cc — releasing a space in bounded steps (space_release.h): a
// space with thousands of resident pages, shared frames and mappings is released in many small
// steps, none doing more than its limit of kernel calls; every mapping is undone and every frame
// deleted exactly once; frames another space still shares survive, and other spaces are
// untouched and keep working in between.
#include "services/vm/space_release.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

namespace hiillos::vm {
namespace {

constexpr uint64_t P = kPageSize;
constexpr uint8_t kRW = kProtRead | kProtWrite;
constexpr Placement kAnywhere{0, 0};

struct FakeKernel {
  std::vector<Mapping> unmapped;
  std::vector<FrameId> deleted;
  void Unmap(const Mapping& mapping) { unmapped.push_back(mapping); }
  void DeleteFrame(FrameId frame) { deleted.push_back(frame); }
};

struct World {
  std::unique_ptr<VmState> state = std::make_unique<VmState>(FitPolicy::kFirstFit);
  std::unique_ptr<MappingTable> mappings = std::make_unique<MappingTable>();
};

// Space `pid` (server slot `slot`) with `pages` resident anonymous pages (frames base + i), each
// recorded as a mapping.
void Populate(World& world, Pid pid, uint16_t slot, size_t pages, FrameId base) {
  ASSERT_TRUE(world.state->CreateProcess(pid, (pages + 64) * P).ok());
  const uint64_t heap = world.state->MapAnonymous(pid, pages * P, kAnywhere, kRW).value();
  for (size_t i = 0; i < pages; ++i) {
    ASSERT_TRUE(world.state->CommitPage(pid, heap + i * P, base + i).ok());
    ASSERT_TRUE(world.mappings->Record(slot, heap + i * P, static_cast<uint32_t>(base + i),
                                       static_cast<uint32_t>(base + i)));
  }
}

TEST(SpaceReleaseTest, LargeSpaceIsReleasedInBoundedSteps) {
  World world;
  constexpr size_t kPages = 3000;
  Populate(world, 1, 0, kPages, 10000);
  Populate(world, 2, 1, 20, 50000);
  // A shared frame of space 1 (mapped through a clone, 900) also mapped in space 2 (clone 901).
  const uint64_t shm =
      world.state->MapFrame(1, 700, 2 * P, RegionKind::kShared, kAnywhere, kRW).value();
  ASSERT_TRUE(world.mappings->Record(0, shm, 900, 700));
  const uint64_t other = world.state->Share(1, shm, 2, kAnywhere, kRW).value();
  ASSERT_TRUE(world.mappings->Record(1, other, 901, 700));

  FakeKernel kernel;
  size_t steps = 0;
  for (bool done = false; !done; ++steps) {
    ASSERT_LT(steps, 1000u) << "no progress";
    const size_t unmapped_before = kernel.unmapped.size();
    const size_t deleted_before = kernel.deleted.size();
    ReleaseStepResult step = ReleaseStep(*world.state, *world.mappings, 0, 1, 16, kernel);
    EXPECT_LE(step.torn_down, 16u);
    EXPECT_LE(step.unmapped, 16u);
    EXPECT_LE(step.deleted, 16u);
    EXPECT_EQ(kernel.unmapped.size() - unmapped_before, step.unmapped);
    EXPECT_EQ(kernel.deleted.size() - deleted_before, step.deleted);
    done = step.done;
    if (!done) {
      // The space refuses everything else while it goes; the other space keeps working.
      EXPECT_EQ(world.state->MapAnonymous(1, P, kAnywhere, kRW).error(), VmError::kDying);
      auto region = world.state->MapAnonymous(2, P, kAnywhere, kRW);
      ASSERT_TRUE(region.ok());
      ASSERT_TRUE(world.state->Unmap(2, region.value(), P).ok());
    }
  }
  EXPECT_GE(steps, (kPages + 1) / 16);
  // Every mapping of space 1 undone once, none of space 2's.
  std::map<uint64_t, int> unmaps;
  for (const Mapping& m : kernel.unmapped) {
    EXPECT_EQ(m.slot, 0u);
    ++unmaps[m.vaddr];
  }
  EXPECT_EQ(unmaps.size(), kPages + 1);
  for (const auto& [vaddr, count] : unmaps) EXPECT_EQ(count, 1) << vaddr;
  EXPECT_EQ(world.mappings->Count(0), 0u);
  EXPECT_EQ(world.mappings->Count(1), 21u);
  // Every page frame deleted once; the shared frame lives on in space 2.
  std::vector<FrameId> deleted = kernel.deleted;
  std::sort(deleted.begin(), deleted.end());
  ASSERT_EQ(deleted.size(), kPages);
  for (size_t i = 0; i < kPages; ++i) EXPECT_EQ(deleted[i], 10000 + i);
  EXPECT_EQ(world.state->FrameRefs(700), 1u);
  EXPECT_EQ(world.state->Space(1), nullptr);
  EXPECT_EQ(world.state->ResidentPages(2), 20u);

  // Releasing space 2 now deletes the shared frame too, and its clone mapping goes.
  FakeKernel second;
  while (!ReleaseStep(*world.state, *world.mappings, 1, 2, 64, second).done) {
  }
  EXPECT_EQ(second.unmapped.size(), 21u);
  EXPECT_EQ(second.deleted.size(), 21u);
  EXPECT_NE(std::find(second.deleted.begin(), second.deleted.end(), 700), second.deleted.end());
  EXPECT_EQ(world.mappings->Count(kNoOwner), 0u);
  EXPECT_EQ(world.state->frames().used_count(), 0u);
}

TEST(SpaceReleaseTest, StepLimitIsClampedAndUnknownSpacesFinishAtOnce) {
  World world;
  Populate(world, 1, 3, 200, 100);
  FakeKernel kernel;
  // 0 means 1; more than kMaxReleaseStep means kMaxReleaseStep.
  ReleaseStepResult one = ReleaseStep(*world.state, *world.mappings, 3, 1, 0, kernel);
  EXPECT_EQ(one.torn_down, 1u);
  EXPECT_EQ(one.unmapped, 1u);
  EXPECT_FALSE(one.done);
  ReleaseStepResult big = ReleaseStep(*world.state, *world.mappings, 3, 1, 1000, kernel);
  EXPECT_EQ(big.torn_down, kMaxReleaseStep);
  EXPECT_EQ(big.unmapped, kMaxReleaseStep);
  EXPECT_LE(big.deleted, kMaxReleaseStep);
  // A space VmState does not know (never created) with no mappings is done in one step.
  FakeKernel none;
  EXPECT_TRUE(ReleaseStep(*world.state, *world.mappings, 9, 77, 8, none).done);
  EXPECT_TRUE(none.unmapped.empty());
  EXPECT_TRUE(none.deleted.empty());
}

TEST(MappingTableTest, TakeIsBoundedAndFiltersBySlotAndRange) {
  auto table = std::make_unique<MappingTable>();
  for (uint64_t i = 0; i < 10; ++i) ASSERT_TRUE(table->Record(1, i * P, 100 + i, 100 + i));
  ASSERT_TRUE(table->Record(2, 0, 5, 5));
  Mapping out[4];
  EXPECT_EQ(table->Take(1, 2 * P, 5 * P, out, 4), 3u);  // 2, 3, 4
  EXPECT_EQ(table->Count(1), 7u);
  EXPECT_EQ(table->Take(1, 0, ~uint64_t{0}, out, 4), 4u);
  EXPECT_EQ(table->Take(1, 0, ~uint64_t{0}, out, 4), 3u);
  EXPECT_EQ(table->Take(1, 0, ~uint64_t{0}, out, 4), 0u);
  EXPECT_EQ(table->Count(2), 1u);
  EXPECT_EQ(table->Count(kNoOwner), 1u);
  for (size_t i = 0; i < kMaxFrames - 1; ++i) ASSERT_TRUE(table->Record(3, i * P, 1, 1));
  EXPECT_FALSE(table->Record(3, 0, 1, 1));
}

}  // namespace
}  // namespace hiillos::vm
