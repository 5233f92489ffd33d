// kernel/mm/bit_tree.h — a hierarchical bitmap (set of integers) over caller-provided words.
//
// Level 0 holds one bit per element; each higher level holds one bit per non-zero word of the
// level below, up to a single top word. Set/Clear/FindFirst cost O(log64 n). The storage is
// owned by the caller (the PMM's metadata block) and must outlive the BitTree.
#pragma once

#include <stdint.h>

namespace hiillos::mm {

class BitTree {
 public:
  // 2^42 elements fit in 8 levels (64^7 = 2^42).
  static constexpr int kMaxLevels = 8;
  static constexpr uint64_t kMaxBits = 1ull << 42;

  // Words of storage for `bits` elements (0 for bits == 0). Precondition: bits <= kMaxBits.
  static uint64_t WordsFor(uint64_t bits);

  // Uses words[0, WordsFor(bits)) and clears them: the set starts empty.
  void Init(uint64_t* words, uint64_t bits);

  uint64_t size() const { return bits_; }
  // Preconditions for all below: i < size().
  bool Test(uint64_t i) const;
  void Set(uint64_t i);
  void Clear(uint64_t i);
  // The smallest element, or false when empty.
  bool FindFirst(uint64_t* out) const;

 private:
  uint64_t* words_ = nullptr;
  uint64_t bits_ = 0;
  int levels_ = 0;
  uint64_t offset_[kMaxLevels] = {};  // first word of each level inside words_
};

}  // namespace hiillos::mm
