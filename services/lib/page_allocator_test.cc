// services/lib/page_allocator_test.cc — PageAllocator with a fake backend: alignment, reuse,
// error paths and backend failures leaving nothing behind.
#include "services/lib/page_allocator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace hiillos::rt {
namespace {

using uapi::Status;

struct FakeKernel {
  uint32_t next_frame = 100;
  std::set<uint32_t> frames;
  std::map<uint64_t, uint32_t> mappings;
  bool fail_alloc = false;
  bool fail_map = false;
  bool fail_unmap = false;

  static FakeKernel& Of(void* context) { return *static_cast<FakeKernel*>(context); }
  PageBackend Backend() {
    PageBackend backend;
    backend.context = this;
    backend.allocate_frame = [](void* c, unsigned) -> Result<uint32_t, Status> {
      if (Of(c).fail_alloc) return Err(Status::kOutOfMemory);
      uint32_t frame = Of(c).next_frame++;
      Of(c).frames.insert(frame);
      return frame;
    };
    backend.map = [](void* c, uint32_t frame, uint64_t vaddr) -> Result<void, Status> {
      if (Of(c).fail_map) return Err(Status::kOverlap);
      Of(c).mappings[vaddr] = frame;
      return Ok<Status>();
    };
    backend.unmap = [](void* c, uint64_t vaddr) -> Result<void, Status> {
      if (Of(c).fail_unmap || Of(c).mappings.erase(vaddr) == 0) return Err(Status::kNotMapped);
      return Ok<Status>();
    };
    backend.release_frame = [](void* c, uint32_t frame) { Of(c).frames.erase(frame); };
    return backend;
  }
};

constexpr uint64_t kBase = 0x1000'0000'0000ull;

TEST(PageAllocatorTest, AllocationsAreSizeAlignedAndDisjoint) {
  FakeKernel kernel;
  PageAllocator pages(kernel.Backend(), kBase, 1ull << 30);
  auto a = pages.Allocate(0);
  auto b = pages.Allocate(4);  // 64 KiB: aligned to 64 KiB
  auto c = pages.Allocate(0);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  auto va = reinterpret_cast<uint64_t>(a.value()), vb = reinterpret_cast<uint64_t>(b.value()),
       vc = reinterpret_cast<uint64_t>(c.value());
  EXPECT_EQ(va, kBase);
  EXPECT_EQ(vb % 0x10000, 0u);
  EXPECT_GE(vb, va + 0x1000);
  EXPECT_GE(vc, vb + 0x10000);
  EXPECT_EQ(kernel.mappings.size(), 3u);
  EXPECT_EQ(pages.live_blocks(), 3u);
}

TEST(PageAllocatorTest, FreeUnmapsReleasesAndReusesTheRange) {
  FakeKernel kernel;
  PageAllocator pages(kernel.Backend(), kBase, 1ull << 30);
  void* a = pages.Allocate(2).value();
  ASSERT_TRUE(pages.Free(a).ok());
  EXPECT_TRUE(kernel.mappings.empty());
  EXPECT_TRUE(kernel.frames.empty());
  EXPECT_EQ(pages.live_blocks(), 0u);
  EXPECT_EQ(pages.Free(a).error(), Status::kInvalidArgument);  // double free
  EXPECT_EQ(pages.Allocate(2).value(), a);                     // same order: same range
  EXPECT_NE(pages.Allocate(0).value(), a);
}

TEST(PageAllocatorTest, RejectsForeignPointersAndBadOrders) {
  FakeKernel kernel;
  PageAllocator pages(kernel.Backend(), kBase, 1ull << 30);
  EXPECT_EQ(pages.Free(reinterpret_cast<void*>(kBase)).error(), Status::kInvalidArgument);
  EXPECT_EQ(pages.Allocate(PageAllocator::kMaxOrder + 1).error(), Status::kInvalidArgument);
  void* a = pages.Allocate(1).value();
  EXPECT_EQ(pages.Free(static_cast<char*>(a) + 0x1000).error(), Status::kInvalidArgument);
}

TEST(PageAllocatorTest, BackendFailuresLeaveNothingBehind) {
  FakeKernel kernel;
  PageAllocator pages(kernel.Backend(), kBase, 1ull << 30);
  kernel.fail_alloc = true;
  EXPECT_EQ(pages.Allocate(0).error(), Status::kOutOfMemory);
  kernel.fail_alloc = false;
  kernel.fail_map = true;
  EXPECT_EQ(pages.Allocate(0).error(), Status::kOverlap);
  EXPECT_TRUE(kernel.frames.empty());  // the frame went back
  kernel.fail_map = false;
  void* a = pages.Allocate(0).value();
  kernel.fail_unmap = true;
  EXPECT_EQ(pages.Free(a).error(), Status::kNotMapped);
  EXPECT_EQ(pages.live_blocks(), 1u);  // still allocated
  kernel.fail_unmap = false;
  EXPECT_TRUE(pages.Free(a).ok());
}

TEST(PageAllocatorTest, RegionAndTableExhaustion) {
  FakeKernel kernel;
  PageAllocator small(kernel.Backend(), kBase, 0x3000);
  EXPECT_TRUE(small.Allocate(0).ok());
  EXPECT_EQ(small.Allocate(2).error(), Status::kOutOfMemory);  // 16 KiB does not fit
  EXPECT_EQ(small.Allocate(1).error(), Status::kOutOfMemory);  // aligned 8 KiB would end past
  EXPECT_TRUE(small.Allocate(0).ok());
  EXPECT_TRUE(small.Allocate(0).ok());
  EXPECT_EQ(small.Allocate(0).error(), Status::kOutOfMemory);
  EXPECT_EQ(kernel.frames.size(), 3u);
  FakeKernel other;
  PageAllocator many(other.Backend(), kBase, 1ull << 40);
  for (size_t i = 0; i < PageAllocator::kMaxBlocks; ++i) ASSERT_TRUE(many.Allocate(0).ok());
  EXPECT_EQ(many.Allocate(0).error(), Status::kOutOfMemory);
}

}  // namespace
}  // namespace hiillos::rt
