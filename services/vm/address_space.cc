// services/vm/address_space.cc — region search, insertion, splitting and removal.
#include "services/vm/address_space.h"

#include "lib/base/checked.h"
#include "lib/base/page_size.h"

namespace hiillos::vm {

void AddressSpace::Reset(uint64_t budget_pages) {
  count_ = 0;
  charged_pages_ = 0;
  budget_pages_ = budget_pages;
}

const Region* AddressSpace::Find(uint64_t address) const {
  for (size_t i = 0; i < count_; ++i) {
    if (address < regions_[i].start) return nullptr;
    if (address < regions_[i].end()) return &regions_[i];
  }
  return nullptr;
}

Result<uint64_t, VmError> AddressSpace::FindFree(uint64_t pages, uint64_t alignment,
                                                 FitPolicy policy) const {
  const uint64_t guard = kGuardPages * kPageSize;
  uint64_t size = 0;
  if (!CheckedMul(pages, kPageSize, &size)) return Err(VmError::kNoFreeRange);
  bool found = false;
  uint64_t best_start = 0;
  uint64_t best_gap = 0;
  uint64_t gap_start = kUserBase;
  for (size_t i = 0; i <= count_; ++i) {
    const uint64_t gap_end = i < count_ ? regions_[i].start : kUserEnd;
    const uint64_t low = i > 0 ? gap_start + guard : gap_start;
    const uint64_t high = i < count_ ? gap_end - guard : gap_end;  // regions start >= kUserBase
    uint64_t candidate = 0;
    if (AlignUp(low, alignment, &candidate) && candidate < high && high - candidate >= size) {
      const uint64_t gap = gap_end - gap_start;
      if (policy == FitPolicy::kFirstFit) return candidate;
      if (!found || gap < best_gap) {
        found = true;
        best_start = candidate;
        best_gap = gap;
      }
    }
    if (i < count_) gap_start = regions_[i].end();
  }
  if (!found) return Err(VmError::kNoFreeRange);
  return best_start;
}

Result<void, VmError> AddressSpace::CheckInsert(uint64_t start, uint64_t pages) const {
  uint64_t size = 0;
  if (!CheckedMul(pages, kPageSize, &size) || start < kUserBase ||
      !RangeInside(start, size, kUserEnd)) {
    return Err(VmError::kOutsideUserSpace);
  }
  for (size_t i = 0; i < count_; ++i) {
    if (RangesOverlap(start, size, regions_[i].start, regions_[i].pages * kPageSize)) {
      return Err(VmError::kOverlap);
    }
  }
  if (count_ == kMaxRegions) return Err(VmError::kTooManyRegions);
  if (pages > budget_pages_ - charged_pages_) return Err(VmError::kOverBudget);
  return Ok<VmError>();
}

void AddressSpace::Insert(const Region& region) {
  size_t at = count_;
  while (at > 0 && regions_[at - 1].start > region.start) {
    regions_[at] = regions_[at - 1];
    --at;
  }
  regions_[at] = region;
  ++count_;
  charged_pages_ += region.pages;
}

RangeCover AddressSpace::Examine(uint64_t start, uint64_t pages) const {
  RangeCover cover{};
  const uint64_t end = start + pages * kPageSize;
  uint64_t covered_to = start;
  for (size_t i = 0; i < count_; ++i) {
    const Region& r = regions_[i];
    if (r.end() <= start || r.start >= end) continue;
    ++cover.intersecting;
    if (r.start > covered_to) cover.has_hole = true;
    covered_to = r.end();
    const bool cut_start = r.start < start;
    const bool cut_end = r.end() > end;
    cover.splits += size_t{cut_start} + size_t{cut_end};
    if ((cut_start || cut_end) && r.kind != RegionKind::kAnonymous) cover.splits_frame = true;
  }
  if (covered_to < end) cover.has_hole = true;
  return cover;
}

void AddressSpace::SplitAt(uint64_t address) {
  for (size_t i = 0; i < count_; ++i) {
    Region& r = regions_[i];
    if (r.start < address && address < r.end()) {
      for (size_t j = count_; j > i + 1; --j) regions_[j] = regions_[j - 1];
      Region tail = r;
      tail.start = address;
      tail.pages = (r.end() - address) / kPageSize;
      r.pages -= tail.pages;
      regions_[i + 1] = tail;
      ++count_;
      return;
    }
  }
}

void AddressSpace::Carve(uint64_t start, uint64_t pages, size_t* first, size_t* last) {
  const uint64_t end = start + pages * kPageSize;
  SplitAt(start);
  SplitAt(end);
  size_t i = 0;
  while (i < count_ && regions_[i].end() <= start) ++i;
  *first = i;
  while (i < count_ && regions_[i].start < end) ++i;
  *last = i;
}

void AddressSpace::Erase(size_t first, size_t last) {
  for (size_t i = first; i < last; ++i) charged_pages_ -= regions_[i].pages;
  const size_t removed = last - first;
  for (size_t i = first; i + removed < count_; ++i) regions_[i] = regions_[i + removed];
  count_ -= removed;
}

}  // namespace hiillos::vm
