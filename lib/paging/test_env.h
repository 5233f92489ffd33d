// lib/paging/test_env.h — a host-test Env for AddressSpace: table pages from a vector arena.
//
// Hands out 4 KiB pages of simulated physical memory starting at kArenaBase, counts
// allocations and frees, can be told to fail after N allocations, and records misuse (double
// free, freeing or touching an address outside the arena) instead of crashing.
#pragma once

#include <stdint.h>

#include <vector>

#include "lib/base/page_size.h"
#include "lib/base/result.h"
#include "lib/paging/types.h"

namespace hiillos::paging {

class TestEnv {
 public:
  static constexpr uint64_t kArenaBase = 0x10'0000;  // 1 MiB: page 0 is never a valid table

  explicit TestEnv(size_t pages = 256)
      : memory_(pages * kPageSize / sizeof(uint64_t), 0xdeadbeefdeadbeefull),
        in_use_(pages, false) {}

  Result<uint64_t, Error> AllocTablePage() {
    if (fail_after_ == 0) return Err{Error::kOutOfMemory};
    if (fail_after_ > 0) --fail_after_;
    for (size_t i = 0; i < in_use_.size(); ++i) {
      size_t page = (next_ + i) % in_use_.size();
      if (in_use_[page]) continue;
      in_use_[page] = true;
      next_ = page + 1;
      ++allocations_;
      uint64_t* words = &memory_[page * kPageSize / sizeof(uint64_t)];
      if (zero_pages_) {
        for (size_t w = 0; w < kPageSize / sizeof(uint64_t); ++w) words[w] = 0;
      }
      return kArenaBase + page * kPageSize;
    }
    return Err{Error::kOutOfMemory};
  }

  void FreeTablePage(uint64_t phys) {
    size_t page = 0;
    if (!PageIndex(phys, &page) || !in_use_[page]) {
      ++misuse_;
      return;
    }
    in_use_[page] = false;
    ++frees_;
    // Poison so use-after-free of a table page shows up as garbage entries.
    uint64_t* words = &memory_[page * kPageSize / sizeof(uint64_t)];
    for (size_t w = 0; w < kPageSize / sizeof(uint64_t); ++w) words[w] = 0xdeadbeefdeadbeefull;
  }

  void* PhysToVirt(uint64_t phys) {
    size_t page = 0;
    if (!PageIndex(phys & ~(kPageSize - 1), &page)) {
      ++misuse_;
      return &scratch_[0];
    }
    if (!in_use_[page]) ++misuse_;  // touching a page that is not an allocated table
    return reinterpret_cast<uint8_t*>(memory_.data()) + (phys - kArenaBase);
  }

  // Hand out pages still holding the poison pattern (an Env breaking the "zeroed" promise).
  void SetZeroPages(bool zero) { zero_pages_ = zero; }

  // Allocations fail once `n` more have succeeded (negative: never).
  void FailAfter(int64_t n) { fail_after_ = n; }

  int64_t pages_in_use() const { return allocations_ - frees_; }
  int64_t allocations() const { return allocations_; }
  int64_t frees() const { return frees_; }
  int64_t misuse() const { return misuse_; }

  // Raw entry `index` of the table at `table_phys` (for inspecting bits in tests).
  uint64_t& Entry(uint64_t table_phys, uint64_t index) {
    return static_cast<uint64_t*>(PhysToVirt(table_phys))[index & 511];
  }

 private:
  bool PageIndex(uint64_t phys, size_t* page) const {
    if (phys < kArenaBase || (phys & (kPageSize - 1)) != 0) return false;
    uint64_t index = (phys - kArenaBase) / kPageSize;
    if (index >= in_use_.size()) return false;
    *page = static_cast<size_t>(index);
    return true;
  }

  std::vector<uint64_t> memory_;
  std::vector<bool> in_use_;
  uint64_t scratch_[512] = {};
  size_t next_ = 0;
  int64_t fail_after_ = -1;
  bool zero_pages_ = true;
  int64_t allocations_ = 0;
  int64_t frees_ = 0;
  int64_t misuse_ = 0;
};

}  // namespace hiillos::paging
