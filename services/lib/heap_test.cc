// services/lib/heap_test.cc — host tests for Heap over aligned host pages.
#include "services/lib/heap.h"

#include <stdlib.h>
#include <string.h>

#include <map>
#include <random>
#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace hiillos::rt {
namespace {

// Pages from aligned_alloc, with a budget, remembering every live run.
struct FakePages {
  size_t budget_pages = 1 << 20;
  std::map<void*, unsigned> live;
  static void* Allocate(void* context, unsigned order) {
    auto* self = static_cast<FakePages*>(context);
    size_t pages = size_t{1} << order;
    if (pages > self->budget_pages) return nullptr;
    void* run = aligned_alloc(4096, 4096 * pages);
    memset(run, 0, 4096 * pages);
    self->budget_pages -= pages;
    self->live[run] = order;
    return run;
  }
  static void Free(void* context, void* pages) {
    auto* self = static_cast<FakePages*>(context);
    auto it = self->live.find(pages);
    ASSERT_NE(it, self->live.end()) << "freeing pages the heap never got";
    self->budget_pages += size_t{1} << it->second;
    self->live.erase(it);
    free(pages);
  }
  HeapBackend Backend() { return HeapBackend{this, Allocate, Free}; }
};

TEST(Heap, SmallBlocksAreAlignedDistinctAndUsable) {
  FakePages pages;
  Heap heap(pages.Backend());
  std::set<uintptr_t> seen;
  std::vector<void*> blocks;
  for (size_t size : {0, 1, 15, 16, 17, 100, 1000, 2032}) {
    void* block = heap.Allocate(size);
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % 16, 0u);
    EXPECT_GE(heap.UsableSize(block), size);
    EXPECT_TRUE(seen.insert(reinterpret_cast<uintptr_t>(block)).second);
    memset(block, 0xab, heap.UsableSize(block));
    blocks.push_back(block);
  }
  EXPECT_EQ(heap.live_blocks(), blocks.size());
  for (void* block : blocks) EXPECT_TRUE(heap.Free(block));
  EXPECT_EQ(heap.live_blocks(), 0u);
}

TEST(Heap, FreedSmallBlocksAreReused) {
  FakePages pages;
  Heap heap(pages.Backend());
  void* a = heap.Allocate(40);
  ASSERT_TRUE(heap.Free(a));
  EXPECT_EQ(heap.Allocate(40), a);
  EXPECT_EQ(heap.pages_in_use(), 1u);
}

TEST(Heap, LargeBlocksAreOwnRunsAndReturnOnFree) {
  FakePages pages;
  Heap heap(pages.Backend());
  void* big = heap.Allocate(10000);  // 10000 + 16 bytes: 4 pages (order 2)
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(heap.UsableSize(big), 4 * 4096u - 16);
  EXPECT_EQ(heap.pages_in_use(), 4u);
  EXPECT_EQ(pages.live.size(), 1u);
  EXPECT_TRUE(heap.Free(big));
  EXPECT_EQ(pages.live.size(), 0u);
  EXPECT_EQ(heap.pages_in_use(), 0u);
  void* exact = heap.Allocate(4096 - 16);  // still one page
  EXPECT_EQ(heap.UsableSize(exact), 4096u - 16);
  EXPECT_TRUE(heap.Free(exact));
}

TEST(Heap, RefusesForeignAndDoubleFrees) {
  FakePages pages;
  Heap heap(pages.Backend());
  void* a = heap.Allocate(64);
  void* big = heap.Allocate(9000);
  EXPECT_TRUE(heap.Free(a));
  EXPECT_FALSE(heap.Free(a));
  EXPECT_TRUE(heap.Free(big));
  alignas(16) unsigned char local[64] = {};
  EXPECT_FALSE(heap.Free(local + 16));
  EXPECT_FALSE(heap.Free(static_cast<unsigned char*>(heap.Allocate(64)) + 8));  // misaligned
  EXPECT_EQ(heap.UsableSize(local + 16), 0u);
}

TEST(Heap, OutOfPagesIsNullAndChangesNothing) {
  FakePages pages;
  pages.budget_pages = 2;
  Heap heap(pages.Backend());
  EXPECT_EQ(heap.Allocate(3 * 4096), nullptr);  // needs 4 pages
  EXPECT_EQ(heap.live_blocks(), 0u);
  EXPECT_EQ(heap.Allocate(size_t{1} << 40), nullptr);  // beyond kMaxOrder
  void* a = heap.Allocate(8);
  void* b = heap.Allocate(4000);
  EXPECT_NE(a, nullptr);
  EXPECT_NE(b, nullptr);
  EXPECT_EQ(heap.Allocate(2000), nullptr);  // a third page for a new class: none left
  EXPECT_EQ(heap.live_blocks(), 2u);
}

TEST(Heap, RandomWorkloadKeepsBlocksIntactAndReturnsLargeRuns) {
  FakePages pages;
  Heap heap(pages.Backend());
  std::mt19937 rng(11);
  std::map<void*, std::pair<size_t, unsigned char>> live;
  for (int step = 0; step < 20000; ++step) {
    if (live.empty() || rng() % 3 != 0) {
      size_t size = rng() % 4 == 0 ? rng() % 20000 : rng() % 300;
      void* block = heap.Allocate(size);
      ASSERT_NE(block, nullptr);
      ASSERT_EQ(live.count(block), 0u);
      unsigned char fill = static_cast<unsigned char>(rng());
      memset(block, fill, size);
      live[block] = {size, fill};
    } else {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      const auto [size, fill] = it->second;
      for (size_t i = 0; i < size; ++i) {
        ASSERT_EQ(static_cast<unsigned char*>(it->first)[i], fill) << "block overwritten";
      }
      ASSERT_TRUE(heap.Free(it->first));
      live.erase(it);
    }
  }
  EXPECT_EQ(heap.live_blocks(), live.size());
  for (auto& [block, info] : live) ASSERT_TRUE(heap.Free(block));
  EXPECT_EQ(heap.live_blocks(), 0u);
  // Only small-class pages stay (at most one partially used set per class, plus reuse).
  for (auto& [run, order] : pages.live) EXPECT_EQ(order, 0u);
}

}  // namespace
}  // namespace hiillos::rt
