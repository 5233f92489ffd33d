// kernel/mm/buddy_allocator.h — the physical memory manager: a binary buddy allocator.
//
// Manages the free physical ranges it is given, in naturally aligned blocks of 0x1000 << order
// bytes (order 0..18: 4 KiB .. 1 GiB). Free blocks of each order live in a hierarchical bitmap
// (BitTree), so Allocate and Free cost O(kMaxOrder * log64 n) and Allocate returns the lowest
// free block. A byte per page records the order and PageUse of each allocated block, so Free
// rejects double frees, wrong orders and addresses it does not own without touching state.
// All metadata lives in the buffer passed to Init (the kernel has no heap); the allocator never
// reads or writes the memory it manages. Not thread-safe: the owner (the kernel's PMM global)
// serialises calls with its lock.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/bit_tree.h"
#include "kernel/mm/error.h"
#include "kernel/mm/page_use.h"
#include "kernel/mm/phys_range.h"
#include "lib/base/result.h"

namespace hiillos::mm {

class BuddyAllocator {
 public:
  static constexpr unsigned kMaxOrder = 18;  // 1 GiB blocks
  static constexpr uint64_t kMaxBlockBytes = kPageSize << kMaxOrder;
  // Physical addresses are below 2^52 (SDM Vol.3A §4.1.4): at most 2^40 pages.
  static constexpr uint64_t kPhysicalLimit = 1ull << 52;

  static constexpr uint64_t BlockBytes(unsigned order) { return kPageSize << order; }

  // Bytes of metadata Init needs for `free_ranges` (about 1.25 bytes per 4 KiB page of the span
  // from the lowest base, rounded down to 1 GiB, to the highest end). Errors: kBadRange.
  static Result<uint64_t, Error> MetadataBytes(const PhysRange* free_ranges, size_t count,
                                               const PhysRange* held_ranges = nullptr,
                                               size_t held_count = 0);

  // Starts managing `free_ranges` (page aligned, non-overlapping; zero sizes are skipped), all
  // free. `metadata` (8-byte aligned, at least MetadataBytes() long, not inside any free range)
  // belongs to the allocator from now on. Errors: kBadRange, kMetadataTooSmall (also when
  // misaligned); on error the allocator is left as it was.
  Result<void, Error> Init(const PhysRange* free_ranges, size_t count, void* metadata,
                           uint64_t metadata_bytes);
  // Like Init, plus `held_ranges`: memory still in use at Init (boot data the kernel reads
  // until it has its own copies). They count as allocated PageUse::kKernel blocks and come
  // back with ReleaseHeld(range) later.
  Result<void, Error> Init(const PhysRange* free_ranges, size_t count, const PhysRange* held_ranges,
                           size_t held_count, void* metadata, uint64_t metadata_bytes);
  // Frees a range given to Init as held, exactly as it was given.
  Result<void, Error> ReleaseHeld(const PhysRange& range);

  // A free block of BlockBytes(order) bytes aligned to its size; its pages count as `use`.
  // Errors: kInvalidOrder, kInvalidUse, kOutOfMemory.
  Result<uint64_t, Error> Allocate(unsigned order, PageUse use = PageUse::kKernel);

  // Returns a block from Allocate(order); merges it with free buddies. Errors: kInvalidOrder,
  // kNotOwned (outside the span or misaligned), kNotAllocated (not an allocated block of
  // exactly this order: double free, wrong order, an address inside a block or never free).
  Result<void, Error> Free(uint64_t phys, unsigned order);

  // The use recorded for the allocated block starting at `phys`. Errors: kNotOwned,
  // kNotAllocated.
  Result<PageUse, Error> UseOf(uint64_t phys) const;

  uint64_t total_pages() const { return total_pages_; }  // pages handed to Init
  uint64_t free_pages() const { return free_pages_; }
  uint64_t used_pages(PageUse use) const;      // allocated pages recorded as `use`
  uint64_t free_blocks(unsigned order) const;  // free blocks of exactly `order`
  uint64_t span_base() const { return span_base_; }
  uint64_t span_pages() const { return span_pages_; }

 private:
  struct Layout {
    uint64_t span_base;
    uint64_t span_pages;
    uint64_t state_bytes;  // one byte per page, rounded up to 8
    uint64_t tree_words[kMaxOrder + 1];
    uint64_t total_bytes;
  };
  static Result<Layout, Error> ComputeLayout(const PhysRange* free_ranges, size_t count,
                                             const PhysRange* held_ranges, size_t held_count);
  // Calls fn(first_page, order) for the aligned blocks [first, first + pages) splits into.
  template <typename Fn>
  static void ForEachBlock(uint64_t first, uint64_t pages, Fn fn);

  static uint64_t BlocksAt(uint64_t span_pages, unsigned order) {
    return (span_pages + (1ull << order) - 1) >> order;
  }
  // Adds the pages [first, first + pages) of the span as free, in maximal aligned blocks.
  void AddFreePages(uint64_t first, uint64_t pages);
  // Puts block `index` of `order` on the free set, merging with free buddies.
  void InsertFree(uint64_t index, unsigned order);

  uint64_t span_base_ = 0;
  uint64_t span_pages_ = 0;
  uint8_t* state_ = nullptr;  // per page: 0, or 1 + order + (kMaxOrder + 1) * use for block heads
  BitTree free_[kMaxOrder + 1];
  uint64_t free_block_count_[kMaxOrder + 1] = {};
  uint64_t total_pages_ = 0;
  uint64_t free_pages_ = 0;
  uint64_t used_pages_[kPageUseCount] = {};
};

}  // namespace hiillos::mm
