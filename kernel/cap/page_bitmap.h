// kernel/cap/page_bitmap.h — PageBitmap: a fixed-size two-level bitmap over the capability
// table's storage pages that finds its lowest set bit in O(kBits / 4096 + 1) word reads, so the
// table picks pages (lowest first) in bounded time under its lock. Pure logic, host-tested
// through the table.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::cap {

template <size_t kBits>
class PageBitmap {
 public:
  static_assert(kBits % 4096 == 0, "whole summary words");
  static constexpr size_t kNone = kBits;

  constexpr PageBitmap() = default;

  bool Test(size_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }
  void Set(size_t i) {
    words_[i / 64] |= uint64_t{1} << (i % 64);
    summary_[i / 4096] |= uint64_t{1} << ((i / 64) % 64);
  }
  void Clear(size_t i) {
    words_[i / 64] &= ~(uint64_t{1} << (i % 64));
    if (words_[i / 64] == 0) summary_[i / 4096] &= ~(uint64_t{1} << ((i / 64) % 64));
  }
  // The lowest set index, or kNone.
  size_t FindFirst() const {
    for (size_t s = 0; s < kSummaryWords; ++s) {
      if (summary_[s] == 0) continue;
      size_t word = s * 64 + static_cast<size_t>(__builtin_ctzll(summary_[s]));
      return word * 64 + static_cast<size_t>(__builtin_ctzll(words_[word]));
    }
    return kNone;
  }

 private:
  static constexpr size_t kWords = kBits / 64;
  static constexpr size_t kSummaryWords = kWords / 64;
  uint64_t words_[kWords] = {};
  uint64_t summary_[kSummaryWords] = {};  // bit w set when words_[w] != 0
};

}  // namespace hiillos::cap
