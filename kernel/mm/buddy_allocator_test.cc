// kernel/mm/buddy_allocator_test.cc — host tests of the buddy allocator against a reference model.
#include "kernel/mm/buddy_allocator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

namespace hiillos::mm {
namespace {

constexpr uint64_t k4K = 0x1000;
constexpr uint64_t k2M = 0x20'0000;
constexpr uint64_t k1G = 0x4000'0000;

// A BuddyAllocator with its metadata in a vector (the kernel gives it carved physical memory).
class Pmm {
 public:
  explicit Pmm(std::vector<PhysRange> ranges) : ranges_(std::move(ranges)) {
    auto bytes = BuddyAllocator::MetadataBytes(ranges_.data(), ranges_.size());
    EXPECT_TRUE(bytes.ok());
    metadata_.assign(bytes.value_or(0) / 8 + 1, 0xa5a5a5a5a5a5a5a5ull);
    metadata_.back() = kGuard;
    auto init = allocator.Init(ranges_.data(), ranges_.size(), metadata_.data(), bytes.value_or(0));
    EXPECT_TRUE(init.ok());
  }
  ~Pmm() { EXPECT_EQ(metadata_.back(), kGuard) << "metadata overrun"; }

  bool InFreeRange(uint64_t phys, uint64_t bytes) const {
    for (const PhysRange& r : ranges_) {
      if (phys >= r.base && phys + bytes <= r.end()) return true;
    }
    return false;
  }

  BuddyAllocator allocator;

 private:
  static constexpr uint64_t kGuard = 0x0123456789abcdefull;
  std::vector<PhysRange> ranges_;
  std::vector<uint64_t> metadata_;
};

std::vector<uint64_t> FreeBlockCounts(const BuddyAllocator& a) {
  std::vector<uint64_t> counts;
  for (unsigned order = 0; order <= BuddyAllocator::kMaxOrder; ++order) {
    counts.push_back(a.free_blocks(order));
  }
  return counts;
}

TEST(BuddyAllocatorTest, MetadataIsSmallAndSpanIsAlignedTo1G) {
  PhysRange ranges[] = {{0x10'0000, 0x3ff0'0000}};  // 1 MiB .. 1 GiB
  auto bytes = BuddyAllocator::MetadataBytes(ranges, 1);
  ASSERT_TRUE(bytes.ok());
  // One state byte per page plus ~2 bits per page of bitmaps.
  EXPECT_GE(bytes.value(), k1G / k4K);
  EXPECT_LE(bytes.value(), k1G / k4K * 5 / 4 + 4096);
  Pmm pmm({ranges[0]});
  EXPECT_EQ(pmm.allocator.span_base(), 0u);
  EXPECT_EQ(pmm.allocator.total_pages(), 0x3ff00u);
  EXPECT_EQ(pmm.allocator.free_pages(), 0x3ff00u);
}

TEST(BuddyAllocatorTest, InitRejectsBadInputWithoutSideEffects) {
  std::vector<uint64_t> metadata(1 << 16);
  BuddyAllocator a;
  PhysRange good[] = {{k2M, k2M}};
  ASSERT_TRUE(a.Init(good, 1, metadata.data(), metadata.size() * 8).ok());
  const uint64_t free_before = a.free_pages();

  PhysRange misaligned[] = {{0x1800, k4K}};
  PhysRange odd_size[] = {{k4K, 0x1800}};
  PhysRange wraps[] = {{~0xfffull, 2 * k4K}};
  PhysRange too_high[] = {{1ull << 52, k4K}};
  PhysRange overlap[] = {{0, 4 * k4K}, {0, 0}, {3 * k4K, k4K}};
  PhysRange duplicate[] = {{k2M, k4K}, {k2M, k4K}};
  for (auto* ranges : {misaligned, odd_size, wraps, too_high}) {
    EXPECT_EQ(BuddyAllocator::MetadataBytes(ranges, 1).error(), Error::kBadRange);
    EXPECT_EQ(a.Init(ranges, 1, metadata.data(), metadata.size() * 8).error(), Error::kBadRange);
  }
  EXPECT_EQ(a.Init(overlap, 3, metadata.data(), metadata.size() * 8).error(), Error::kBadRange);
  EXPECT_EQ(a.Init(duplicate, 2, metadata.data(), metadata.size() * 8).error(), Error::kBadRange);

  PhysRange big[] = {{0, k1G}};
  uint64_t need = BuddyAllocator::MetadataBytes(big, 1).value();
  std::vector<uint64_t> small(need / 8);
  EXPECT_EQ(a.Init(big, 1, small.data(), need - 1).error(), Error::kMetadataTooSmall);
  std::vector<uint64_t> enough(need / 8 + 2);
  EXPECT_EQ(a.Init(big, 1, reinterpret_cast<uint8_t*>(enough.data()) + 1, need).error(),
            Error::kMetadataTooSmall);
  EXPECT_EQ(a.Init(big, 1, nullptr, need).error(), Error::kMetadataTooSmall);
  EXPECT_EQ(a.free_pages(), free_before);  // still the first Init's state
  EXPECT_TRUE(a.Allocate(9).ok());
}

TEST(BuddyAllocatorTest, EmptyAllocatorFailsCleanly) {
  BuddyAllocator a;
  EXPECT_EQ(a.Allocate(0).error(), Error::kOutOfMemory);
  EXPECT_EQ(a.Free(0, 0).error(), Error::kNotOwned);
  PhysRange zero[] = {{0x5000, 0}};
  EXPECT_EQ(BuddyAllocator::MetadataBytes(zero, 1).value(), 0u);
  ASSERT_TRUE(a.Init(zero, 1, nullptr, 0).ok());
  EXPECT_EQ(a.Allocate(0).error(), Error::kOutOfMemory);
  EXPECT_EQ(a.total_pages(), 0u);
}

TEST(BuddyAllocatorTest, BlocksAreNaturallyAlignedAndInside) {
  Pmm pmm({{0x1000, 0x9e000}, {0x10'0000, 0x7ee0'0000}});  // a QEMU-like low map
  for (unsigned order = 0; order <= BuddyAllocator::kMaxOrder; ++order) {
    auto block = pmm.allocator.Allocate(order);
    if (order == BuddyAllocator::kMaxOrder) {
      EXPECT_EQ(block.error(), Error::kOutOfMemory);  // no aligned 1 GiB inside 0x7ef00000
      continue;
    }
    ASSERT_TRUE(block.ok()) << order;
    EXPECT_EQ(block.value() % BuddyAllocator::BlockBytes(order), 0u) << order;
    EXPECT_TRUE(pmm.InFreeRange(block.value(), BuddyAllocator::BlockBytes(order))) << order;
  }
}

TEST(BuddyAllocatorTest, OneGigabyteBlocks) {
  Pmm pmm({{k1G, 2 * k1G}});
  EXPECT_EQ(pmm.allocator.free_blocks(BuddyAllocator::kMaxOrder), 2u);
  auto a = pmm.allocator.Allocate(18, PageUse::kUser);
  auto b = pmm.allocator.Allocate(18, PageUse::kUser);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value(), k1G);
  EXPECT_EQ(b.value(), 2 * k1G);
  EXPECT_EQ(pmm.allocator.Allocate(0).error(), Error::kOutOfMemory);
  EXPECT_EQ(pmm.allocator.used_pages(PageUse::kUser), 2 * k1G / k4K);
  EXPECT_EQ(pmm.allocator.free_pages(), 0u);
  ASSERT_TRUE(pmm.allocator.Free(a.value(), 18).ok());
  ASSERT_TRUE(pmm.allocator.Free(b.value(), 18).ok());
  EXPECT_EQ(pmm.allocator.free_pages(), 2 * k1G / k4K);
}

TEST(BuddyAllocatorTest, ExhaustionNoOverlapAndMergeBack) {
  Pmm pmm({{0x3000, 0x5d000}, {0x80'0000, 0x80'0000}, {0x200'3000, 0x2'0000}});
  const auto initial = FreeBlockCounts(pmm.allocator);
  const uint64_t total = pmm.allocator.total_pages();
  std::vector<uint64_t> pages;
  for (;;) {
    auto page = pmm.allocator.Allocate(0, PageUse::kPageTable);
    if (!page.ok()) {
      EXPECT_EQ(page.error(), Error::kOutOfMemory);
      break;
    }
    EXPECT_TRUE(pmm.InFreeRange(page.value(), k4K)) << std::hex << page.value();
    pages.push_back(page.value());
    ASSERT_LE(pages.size(), total);
  }
  EXPECT_EQ(pages.size(), total);
  std::sort(pages.begin(), pages.end());
  EXPECT_EQ(std::adjacent_find(pages.begin(), pages.end()), pages.end());  // all distinct
  EXPECT_EQ(pmm.allocator.free_pages(), 0u);
  EXPECT_EQ(pmm.allocator.used_pages(PageUse::kPageTable), total);
  for (unsigned order = 1; order <= BuddyAllocator::kMaxOrder; ++order) {
    EXPECT_EQ(pmm.allocator.Allocate(order).error(), Error::kOutOfMemory);
  }

  std::shuffle(pages.begin(), pages.end(), std::mt19937_64(7));
  for (uint64_t page : pages) ASSERT_TRUE(pmm.allocator.Free(page, 0).ok());
  EXPECT_EQ(pmm.allocator.free_pages(), total);
  EXPECT_EQ(pmm.allocator.used_pages(PageUse::kPageTable), 0u);
  EXPECT_EQ(FreeBlockCounts(pmm.allocator), initial);  // fully merged again
  // The 8 MiB range is one 8 MiB block again.
  auto big = pmm.allocator.Allocate(11);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big.value(), 0x80'0000u);
}

TEST(BuddyAllocatorTest, AdjacentRangesMerge) {
  Pmm pmm({{k2M / 2, k2M / 2}, {0, k2M / 2}});
  EXPECT_EQ(pmm.allocator.free_blocks(9), 1u);
  EXPECT_EQ(pmm.allocator.free_blocks(8), 0u);
  EXPECT_EQ(pmm.allocator.Allocate(9).value_or(1), 0u);
}

TEST(BuddyAllocatorTest, BadFreesAreRejectedAndChangeNothing) {
  Pmm pmm({{0, 4 * k2M}, {8 * k2M, k2M}});
  BuddyAllocator& a = pmm.allocator;
  uint64_t first = a.Allocate(4, PageUse::kKernel).value();
  uint64_t block = a.Allocate(4, PageUse::kObject).value();  // 64 KiB, not 128 KiB aligned
  ASSERT_EQ(block, first + 0x1'0000);
  uint64_t page = a.Allocate(0, PageUse::kUser).value();
  const uint64_t free_before = a.free_pages();
  const auto blocks_before = FreeBlockCounts(a);

  EXPECT_EQ(a.Free(block, 3).error(), Error::kNotAllocated);        // wrong order
  EXPECT_EQ(a.Free(block, 5).error(), Error::kNotOwned);            // misaligned for order 5
  EXPECT_EQ(a.Free(block + k4K, 0).error(), Error::kNotAllocated);  // inside a block
  EXPECT_EQ(a.Free(block + 0x10, 0).error(), Error::kNotOwned);     // not page aligned
  EXPECT_EQ(a.Free(5 * k2M, 0).error(), Error::kNotAllocated);      // hole: never free
  EXPECT_EQ(a.Free(3 * k2M, 0).error(), Error::kNotAllocated);      // free page
  EXPECT_EQ(a.Free(9 * k2M, 0).error(), Error::kNotOwned);          // past the span
  EXPECT_EQ(a.Free(1ull << 60, 0).error(), Error::kNotOwned);
  EXPECT_EQ(a.Free(block, 19).error(), Error::kInvalidOrder);
  EXPECT_EQ(a.Allocate(19).error(), Error::kInvalidOrder);
  EXPECT_EQ(a.Allocate(0, static_cast<PageUse>(kPageUseCount)).error(), Error::kInvalidUse);
  EXPECT_EQ(a.free_pages(), free_before);
  EXPECT_EQ(FreeBlockCounts(a), blocks_before);

  EXPECT_EQ(a.UseOf(block).value_or(PageUse::kKernel), PageUse::kObject);
  EXPECT_EQ(a.UseOf(page).value_or(PageUse::kKernel), PageUse::kUser);
  ASSERT_TRUE(a.Free(page, 0).ok());
  EXPECT_EQ(a.Free(page, 0).error(), Error::kNotAllocated);  // double free
  EXPECT_EQ(a.UseOf(page).error(), Error::kNotAllocated);
  ASSERT_TRUE(a.Free(block, 4).ok());
  EXPECT_EQ(a.Free(block, 4).error(), Error::kNotAllocated);
  EXPECT_EQ(a.used_pages(PageUse::kObject), 0u);
  ASSERT_TRUE(a.Free(first, 4).ok());
  EXPECT_EQ(a.free_pages(), a.total_pages());
}

TEST(BuddyAllocatorTest, AccountingPerUse) {
  Pmm pmm({{0, 16 * k2M}});
  BuddyAllocator& a = pmm.allocator;
  const uint64_t total = a.total_pages();
  uint64_t k = a.Allocate(0, PageUse::kKernel).value();
  uint64_t t1 = a.Allocate(0, PageUse::kPageTable).value();
  uint64_t t2 = a.Allocate(0, PageUse::kPageTable).value();
  uint64_t u = a.Allocate(9, PageUse::kUser).value();
  EXPECT_EQ(a.used_pages(PageUse::kKernel), 1u);
  EXPECT_EQ(a.used_pages(PageUse::kPageTable), 2u);
  EXPECT_EQ(a.used_pages(PageUse::kUser), 512u);
  EXPECT_EQ(a.used_pages(PageUse::kObject), 0u);
  EXPECT_EQ(a.free_pages(), total - 515);
  for (auto [phys, order] : {std::pair{k, 0u}, {t1, 0u}, {t2, 0u}, {u, 9u}}) {
    ASSERT_TRUE(a.Free(phys, order).ok());
  }
  for (unsigned use = 0; use < kPageUseCount; ++use) {
    EXPECT_EQ(a.used_pages(static_cast<PageUse>(use)), 0u);
  }
  EXPECT_EQ(a.free_pages(), total);
}

TEST(BuddyAllocatorTest, ReservedHolesAreNeverHandedOut) {
  // Free: [1M, 3M) and [3M + 4K, 64M) minus the reserved page at 3M and [16M, 17M).
  std::vector<PhysRange> ranges = {
      {0x10'0000, 0x20'0000}, {0x30'1000, 0xcf'f000}, {0x110'0000, 0x2f0'0000}};
  Pmm pmm(ranges);
  std::mt19937_64 rng(99);
  std::vector<std::pair<uint64_t, unsigned>> held;
  for (int i = 0; i < 5000; ++i) {
    unsigned order = rng() % 10;
    auto block = pmm.allocator.Allocate(order);
    if (!block.ok()) continue;
    uint64_t bytes = BuddyAllocator::BlockBytes(order);
    ASSERT_TRUE(pmm.InFreeRange(block.value(), bytes)) << std::hex << block.value();
    ASSERT_FALSE(block.value() <= 0x30'0000 && 0x30'0000 < block.value() + bytes);
    held.push_back({block.value(), order});
  }
  for (auto [phys, order] : held) ASSERT_TRUE(pmm.allocator.Free(phys, order).ok());
  EXPECT_EQ(pmm.allocator.free_pages(), pmm.allocator.total_pages());
}

// Random Allocate/Free against a model of held blocks: no overlap, alignment, containment,
// counters; everything freed gives back the initial free-block shape.
TEST(BuddyAllocatorTest, RandomStressAgainstReferenceModel) {
  Pmm pmm({{0x7000, 0x3f9000}, {0x100'0000, 0x1f0'0000}, {k1G, k1G + k2M}});
  BuddyAllocator& a = pmm.allocator;
  const auto initial = FreeBlockCounts(a);
  const uint64_t total = a.total_pages();
  std::map<uint64_t, std::pair<unsigned, PageUse>> held;  // phys -> (order, use)
  uint64_t used[kPageUseCount] = {};
  std::mt19937_64 rng(2024);
  for (int step = 0; step < 60000; ++step) {
    if (held.empty() || rng() % 100 < 55) {
      unsigned order = rng() % 4 == 0 ? rng() % 19 : rng() % 6;
      PageUse use = static_cast<PageUse>(rng() % kPageUseCount);
      auto block = a.Allocate(order, use);
      if (!block.ok()) {
        ASSERT_EQ(block.error(), Error::kOutOfMemory);
        for (unsigned k = order; k <= BuddyAllocator::kMaxOrder; ++k) {
          ASSERT_EQ(a.free_blocks(k), 0u);
        }
        continue;
      }
      uint64_t phys = block.value();
      uint64_t bytes = BuddyAllocator::BlockBytes(order);
      ASSERT_EQ(phys % bytes, 0u);
      ASSERT_TRUE(pmm.InFreeRange(phys, bytes));
      auto next = held.lower_bound(phys);
      if (next != held.end()) ASSERT_GE(next->first, phys + bytes);
      if (next != held.begin()) {
        auto prev = std::prev(next);
        ASSERT_LE(prev->first + BuddyAllocator::BlockBytes(prev->second.first), phys);
      }
      held[phys] = {order, use};
      used[static_cast<unsigned>(use)] += 1ull << order;
    } else {
      auto it = held.begin();
      std::advance(it, rng() % held.size());
      auto [order, use] = it->second;
      ASSERT_TRUE(a.Free(it->first, order).ok());
      if (rng() % 8 == 0) ASSERT_EQ(a.Free(it->first, order).error(), Error::kNotAllocated);
      used[static_cast<unsigned>(use)] -= 1ull << order;
      held.erase(it);
    }
    uint64_t in_use = 0;
    for (unsigned u = 0; u < kPageUseCount; ++u) {
      ASSERT_EQ(a.used_pages(static_cast<PageUse>(u)), used[u]);
      in_use += used[u];
    }
    ASSERT_EQ(a.free_pages() + in_use, total);
  }
  for (auto& [phys, info] : held) ASSERT_TRUE(a.Free(phys, info.first).ok());
  EXPECT_EQ(a.free_pages(), total);
  EXPECT_EQ(FreeBlockCounts(a), initial);
}

}  // namespace
}  // namespace hiillos::mm

namespace hiillos::mm {
namespace {

TEST(BuddyAllocatorHeldTest, HeldRangesAreAllocatedUntilReleased) {
  const PhysRange free_ranges[] = {{0x10'0000, 0x70'0000}};                // 1 MiB .. 8 MiB
  const PhysRange held[] = {{0x80'0000, 0x3000}, {0x90'0000, 0x20'0000}};  // boot data
  auto bytes = BuddyAllocator::MetadataBytes(free_ranges, 1, held, 2);
  ASSERT_TRUE(bytes.ok());
  std::vector<uint64_t> metadata(bytes.value() / 8 + 1);
  BuddyAllocator allocator;
  ASSERT_TRUE(allocator.Init(free_ranges, 1, held, 2, metadata.data(), bytes.value()).ok());
  const uint64_t held_pages = (0x3000 + 0x20'0000) / k4K;
  EXPECT_EQ(allocator.total_pages(), 0x70'0000 / k4K + held_pages);
  EXPECT_EQ(allocator.free_pages(), 0x70'0000 / k4K);
  EXPECT_EQ(allocator.used_pages(PageUse::kKernel), held_pages);
  // Held memory is never handed out while held.
  std::vector<uint64_t> blocks;
  for (;;) {
    auto page = allocator.Allocate(0);
    if (!page.ok()) break;
    EXPECT_FALSE(page.value() >= 0x80'0000 && page.value() < 0xb0'0000) << std::hex << page.value();
    blocks.push_back(page.value());
  }
  for (uint64_t block : blocks) ASSERT_TRUE(allocator.Free(block, 0).ok());
  // Releasing something that was not given as held changes nothing.
  EXPECT_EQ(allocator.ReleaseHeld({0x80'1000, 0x1000}).error(), Error::kNotAllocated);  // mid-block
  EXPECT_EQ(allocator.ReleaseHeld({0x10'0000, 0x1000}).error(), Error::kNotAllocated);
  EXPECT_EQ(allocator.ReleaseHeld({0x80'0001, 0x1000}).error(), Error::kBadRange);
  EXPECT_EQ(allocator.used_pages(PageUse::kKernel), held_pages);
  ASSERT_TRUE(allocator.ReleaseHeld(held[0]).ok());
  ASSERT_TRUE(allocator.ReleaseHeld(held[1]).ok());
  EXPECT_EQ(allocator.ReleaseHeld(held[1]).error(), Error::kNotAllocated);  // twice
  EXPECT_EQ(allocator.free_pages(), allocator.total_pages());
  EXPECT_EQ(allocator.used_pages(PageUse::kKernel), 0u);
  // The 2 MiB held block is now allocatable as one block.
  auto big = allocator.Allocate(9);
  ASSERT_TRUE(big.ok());
}

TEST(BuddyAllocatorHeldTest, HeldMustNotOverlapFree) {
  const PhysRange free_ranges[] = {{0x10'0000, 0x10'0000}};
  const PhysRange held[] = {{0x1f'f000, 0x2000}};
  EXPECT_EQ(BuddyAllocator::MetadataBytes(free_ranges, 1, held, 1).error(), Error::kBadRange);
}

}  // namespace
}  // namespace hiillos::mm
