// kernel/mm/buddy_allocator.cc — the buddy allocator's Init, Allocate and Free.
#include "kernel/mm/buddy_allocator.h"

#include "lib/base/checked.h"

namespace hiillos::mm {
namespace {

constexpr uint8_t kNoBlock = 0;

constexpr uint8_t EncodeHead(unsigned order, PageUse use) {
  return static_cast<uint8_t>(1 + order +
                              (BuddyAllocator::kMaxOrder + 1) * static_cast<unsigned>(use));
}
constexpr unsigned HeadOrder(uint8_t state) {
  return (state - 1u) % (BuddyAllocator::kMaxOrder + 1);
}
constexpr PageUse HeadUse(uint8_t state) {
  return static_cast<PageUse>((state - 1u) / (BuddyAllocator::kMaxOrder + 1));
}
static_assert(EncodeHead(BuddyAllocator::kMaxOrder, static_cast<PageUse>(kPageUseCount - 1)) < 255);
static_assert(HeadOrder(EncodeHead(7, PageUse::kUser)) == 7);
static_assert(HeadUse(EncodeHead(7, PageUse::kUser)) == PageUse::kUser);

// Page-aligned, non-wrapping, below the physical limit. Zero sizes are valid (and ignored).
bool RangeIsValid(const PhysRange& range) {
  if (range.size == 0) return true;
  if (!IsAligned(range.base, kPageSize) || !IsAligned(range.size, kPageSize)) return false;
  return RangeInside(range.base, range.size, BuddyAllocator::kPhysicalLimit);
}

}  // namespace

Result<BuddyAllocator::Layout, Error> BuddyAllocator::ComputeLayout(const PhysRange* free_ranges,
                                                                    size_t count,
                                                                    const PhysRange* held_ranges,
                                                                    size_t held_count) {
  Layout layout = {};
  uint64_t lowest = ~0ull;
  uint64_t highest = 0;
  // Free and held ranges together must be valid and pairwise disjoint.
  const size_t total = count + held_count;
  auto at = [&](size_t i) -> const PhysRange& {
    return i < count ? free_ranges[i] : held_ranges[i - count];
  };
  for (size_t i = 0; i < total; ++i) {
    const PhysRange& range = at(i);
    if (!RangeIsValid(range)) return Err{Error::kBadRange};
    if (range.size == 0) continue;
    for (size_t j = 0; j < i; ++j) {  // n <= a few hundred: quadratic is fine and allocation-free
      const PhysRange& other = at(j);
      if (other.size != 0 && RangesOverlap(range.base, range.size, other.base, other.size)) {
        return Err{Error::kBadRange};
      }
    }
    lowest = Min(lowest, range.base);
    highest = Max(highest, range.end());
  }
  if (highest == 0) return layout;  // nothing to manage
  layout.span_base = AlignDown(lowest, kMaxBlockBytes);
  layout.span_pages = (highest - layout.span_base) / kPageSize;
  layout.state_bytes = (layout.span_pages + 7) & ~7ull;
  layout.total_bytes = layout.state_bytes;
  for (unsigned order = 0; order <= kMaxOrder; ++order) {
    layout.tree_words[order] = BitTree::WordsFor(BlocksAt(layout.span_pages, order));
    layout.total_bytes += layout.tree_words[order] * sizeof(uint64_t);
  }
  return layout;
}

Result<uint64_t, Error> BuddyAllocator::MetadataBytes(const PhysRange* free_ranges, size_t count,
                                                      const PhysRange* held_ranges,
                                                      size_t held_count) {
  Layout layout = TRY(ComputeLayout(free_ranges, count, held_ranges, held_count));
  return layout.total_bytes;
}

Result<void, Error> BuddyAllocator::Init(const PhysRange* free_ranges, size_t count, void* metadata,
                                         uint64_t metadata_bytes) {
  return Init(free_ranges, count, nullptr, 0, metadata, metadata_bytes);
}

Result<void, Error> BuddyAllocator::Init(const PhysRange* free_ranges, size_t count,
                                         const PhysRange* held_ranges, size_t held_count,
                                         void* metadata, uint64_t metadata_bytes) {
  Layout layout = TRY(ComputeLayout(free_ranges, count, held_ranges, held_count));
  if (metadata_bytes < layout.total_bytes) return Err{Error::kMetadataTooSmall};
  if (layout.total_bytes != 0 &&
      (metadata == nullptr || !IsAligned(reinterpret_cast<uintptr_t>(metadata), 8))) {
    return Err{Error::kMetadataTooSmall};
  }

  span_base_ = layout.span_base;
  span_pages_ = layout.span_pages;
  state_ = static_cast<uint8_t*>(metadata);
  if (layout.state_bytes != 0) __builtin_memset(state_, kNoBlock, layout.state_bytes);
  uint64_t* words =
      reinterpret_cast<uint64_t*>(static_cast<uint8_t*>(metadata) + layout.state_bytes);
  for (unsigned order = 0; order <= kMaxOrder; ++order) {
    free_[order].Init(words, BlocksAt(span_pages_, order));
    words += layout.tree_words[order];
    free_block_count_[order] = 0;
  }
  total_pages_ = 0;
  free_pages_ = 0;
  for (uint64_t& used : used_pages_) used = 0;

  for (size_t i = 0; i < count; ++i) {
    if (free_ranges[i].size == 0) continue;
    uint64_t pages = free_ranges[i].size / kPageSize;
    AddFreePages((free_ranges[i].base - span_base_) / kPageSize, pages);
    total_pages_ += pages;
    free_pages_ += pages;
  }
  for (size_t i = 0; i < held_count; ++i) {
    if (held_ranges[i].size == 0) continue;
    uint64_t pages = held_ranges[i].size / kPageSize;
    ForEachBlock((held_ranges[i].base - span_base_) / kPageSize, pages,
                 [this](uint64_t page, unsigned order) {
                   state_[page] = EncodeHead(order, PageUse::kKernel);
                 });
    total_pages_ += pages;
    used_pages_[static_cast<unsigned>(PageUse::kKernel)] += pages;
  }
  return Ok<Error>();
}

template <typename Fn>
void BuddyAllocator::ForEachBlock(uint64_t first, uint64_t pages, Fn fn) {
  uint64_t page = first;
  const uint64_t end = first + pages;
  while (page < end) {
    unsigned order = kMaxOrder;
    while (order > 0 && (!IsAligned(page, 1ull << order) || page + (1ull << order) > end)) --order;
    fn(page, order);
    page += 1ull << order;
  }
}

void BuddyAllocator::AddFreePages(uint64_t first, uint64_t pages) {
  ForEachBlock(first, pages,
               [this](uint64_t page, unsigned order) { InsertFree(page >> order, order); });
}

Result<void, Error> BuddyAllocator::ReleaseHeld(const PhysRange& range) {
  if (!RangeIsValid(range) || range.size == 0) return Err{Error::kBadRange};
  if (range.base < span_base_ || (range.end() - span_base_) / kPageSize > span_pages_) {
    return Err{Error::kNotOwned};
  }
  // Check every block first so a wrong range changes nothing.
  bool all_held = true;
  const uint64_t first = (range.base - span_base_) / kPageSize;
  ForEachBlock(first, range.size / kPageSize, [&](uint64_t page, unsigned order) {
    uint8_t state = state_[page];
    if (state == kNoBlock || HeadOrder(state) != order || HeadUse(state) != PageUse::kKernel) {
      all_held = false;
    }
  });
  if (!all_held) return Err{Error::kNotAllocated};
  ForEachBlock(first, range.size / kPageSize, [this](uint64_t page, unsigned order) {
    Result<void, Error> freed = Free(span_base_ + page * kPageSize, order);
    (void)freed;  // cannot fail: every block was checked above
  });
  return Ok<Error>();
}

void BuddyAllocator::InsertFree(uint64_t index, unsigned order) {
  while (order < kMaxOrder) {
    uint64_t buddy = index ^ 1;
    if (buddy >= free_[order].size() || !free_[order].Test(buddy)) break;
    free_[order].Clear(buddy);
    --free_block_count_[order];
    index >>= 1;
    ++order;
  }
  free_[order].Set(index);
  ++free_block_count_[order];
}

Result<uint64_t, Error> BuddyAllocator::Allocate(unsigned order, PageUse use) {
  if (order > kMaxOrder) return Err{Error::kInvalidOrder};
  if (static_cast<unsigned>(use) >= kPageUseCount) return Err{Error::kInvalidUse};
  for (unsigned found = order; found <= kMaxOrder; ++found) {
    uint64_t index = 0;
    if (!free_[found].FindFirst(&index)) continue;
    free_[found].Clear(index);
    --free_block_count_[found];
    // Split: keep the lower half, free the upper half at each smaller order.
    for (unsigned split = found; split > order; --split) {
      index <<= 1;
      free_[split - 1].Set(index + 1);
      ++free_block_count_[split - 1];
    }
    const uint64_t first_page = index << order;
    state_[first_page] = EncodeHead(order, use);
    free_pages_ -= 1ull << order;
    used_pages_[static_cast<unsigned>(use)] += 1ull << order;
    return span_base_ + first_page * kPageSize;
  }
  return Err{Error::kOutOfMemory};
}

Result<void, Error> BuddyAllocator::Free(uint64_t phys, unsigned order) {
  if (order > kMaxOrder) return Err{Error::kInvalidOrder};
  if (phys < span_base_ || (phys - span_base_) / kPageSize >= span_pages_ ||
      !IsAligned(phys, BlockBytes(order))) {
    return Err{Error::kNotOwned};
  }
  const uint64_t first_page = (phys - span_base_) / kPageSize;
  const uint8_t state = state_[first_page];
  if (state == kNoBlock || HeadOrder(state) != order) return Err{Error::kNotAllocated};
  state_[first_page] = kNoBlock;
  free_pages_ += 1ull << order;
  used_pages_[static_cast<unsigned>(HeadUse(state))] -= 1ull << order;
  InsertFree(first_page >> order, order);
  return Ok<Error>();
}

Result<PageUse, Error> BuddyAllocator::UseOf(uint64_t phys) const {
  if (phys < span_base_ || (phys - span_base_) / kPageSize >= span_pages_ ||
      !IsAligned(phys, kPageSize)) {
    return Err{Error::kNotOwned};
  }
  const uint8_t state = state_[(phys - span_base_) / kPageSize];
  if (state == kNoBlock) return Err{Error::kNotAllocated};
  return HeadUse(state);
}

uint64_t BuddyAllocator::used_pages(PageUse use) const {
  unsigned index = static_cast<unsigned>(use);
  return index < kPageUseCount ? used_pages_[index] : 0;
}

uint64_t BuddyAllocator::free_blocks(unsigned order) const {
  return order <= kMaxOrder ? free_block_count_[order] : 0;
}

}  // namespace hiillos::mm
