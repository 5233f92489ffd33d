// services/vm/address_space.h — AddressSpace: one process's regions as the vm server sees
// them — sorted, non-overlapping, inside the user half — with free-range search (first or best
// fit, guard gaps), splitting at range boundaries, and the pages charged to the process's
// Memory budget (always the sum of its regions' pages). A fixed-size table, no heap; owned by
// VmState, which keeps the frames behind the regions.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "services/vm/region.h"

namespace hiillos::vm {

inline constexpr size_t kMaxRegions = 64;
// Unmapped pages kept between a searched range and its neighbours (not for fixed maps).
inline constexpr uint64_t kGuardPages = 1;

enum class FitPolicy : uint8_t { kFirstFit, kBestFit };

// How a range meets the regions: what Carve would split and what it would cover.
struct RangeCover {
  size_t splits;        // region boundaries Carve adds (0 to 2)
  size_t intersecting;  // regions that share a page with the range
  bool has_hole;        // some page of the range is in no region
  bool splits_frame;    // a frame-backed region is only partly inside the range
};

class AddressSpace {
 public:
  void Reset(uint64_t budget_pages);

  size_t region_count() const { return count_; }
  const Region& region(size_t index) const { return regions_[index]; }
  uint64_t charged_pages() const { return charged_pages_; }
  uint64_t budget_pages() const { return budget_pages_; }

  // The region holding `address`, or null.
  const Region* Find(uint64_t address) const;

  // The lowest (first fit) or the tightest-gap (best fit) start of a free, `alignment`-aligned
  // range of `pages` pages with kGuardPages free pages to each neighbouring region.
  // Errors: kNoFreeRange. Preconditions: pages > 0, alignment a power of two >= kPageSize.
  Result<uint64_t, VmError> FindFree(uint64_t pages, uint64_t alignment, FitPolicy policy) const;

  // Whether a new region [start, start + pages pages) can be added: inside user space, no
  // overlap, a free slot, within budget. Errors: kOutsideUserSpace, kOverlap, kTooManyRegions,
  // kOverBudget. Precondition: start page aligned, pages > 0.
  Result<void, VmError> CheckInsert(uint64_t start, uint64_t pages) const;
  // Adds a region CheckInsert accepted and charges its pages.
  void Insert(const Region& region);

  // How [start, start + pages pages) meets the regions (no change).
  RangeCover Examine(uint64_t start, uint64_t pages) const;
  // Splits regions so the range's ends are region boundaries; returns the index range
  // [*first, *last) of the regions now inside it. Precondition: Examine showed room
  // (region_count() + splits <= kMaxRegions + 2) and no frame-backed region is split.
  void Carve(uint64_t start, uint64_t pages, size_t* first, size_t* last);
  // Removes regions [first, last) (after Carve) and gives their pages back to the budget.
  void Erase(size_t first, size_t last);
  void SetProtection(size_t index, uint8_t protection) { regions_[index].protection = protection; }
  // Removes the last region (teardown).
  void PopBack() { Erase(count_ - 1, count_); }

 private:
  void SplitAt(uint64_t address);

  // Two spare slots: a carve may split before the caller removes what it covers.
  Region regions_[kMaxRegions + 2];
  size_t count_ = 0;
  uint64_t charged_pages_ = 0;
  uint64_t budget_pages_ = 0;
};

}  // namespace hiillos::vm
