// kernel/mm/bit_tree.cc — the hierarchical bitmap behind the buddy allocator's free lists.
#include "kernel/mm/bit_tree.h"

namespace hiillos::mm {
namespace {

constexpr uint64_t WordsForBits(uint64_t bits) {
  return (bits + 63) / 64;
}

}  // namespace

uint64_t BitTree::WordsFor(uint64_t bits) {
  uint64_t total = 0;
  while (bits > 0) {
    uint64_t words = WordsForBits(bits);
    total += words;
    if (words == 1) break;
    bits = words;
  }
  return total;
}

void BitTree::Init(uint64_t* words, uint64_t bits) {
  words_ = words;
  bits_ = bits;
  levels_ = 0;
  uint64_t offset = 0;
  while (bits > 0 && levels_ < kMaxLevels) {
    uint64_t count = WordsForBits(bits);
    offset_[levels_++] = offset;
    for (uint64_t w = 0; w < count; ++w) words_[offset + w] = 0;
    offset += count;
    if (count == 1) break;
    bits = count;
  }
}

bool BitTree::Test(uint64_t i) const {
  return (words_[offset_[0] + i / 64] >> (i % 64)) & 1;
}

void BitTree::Set(uint64_t i) {
  for (int level = 0; level < levels_; ++level) {
    uint64_t& word = words_[offset_[level] + i / 64];
    bool was_empty = word == 0;
    word |= 1ull << (i % 64);
    if (!was_empty) return;  // the summary bit above is already set
    i /= 64;
  }
}

void BitTree::Clear(uint64_t i) {
  for (int level = 0; level < levels_; ++level) {
    uint64_t& word = words_[offset_[level] + i / 64];
    word &= ~(1ull << (i % 64));
    if (word != 0) return;  // the summary bit above stays set
    i /= 64;
  }
}

bool BitTree::FindFirst(uint64_t* out) const {
  if (levels_ == 0 || words_[offset_[levels_ - 1]] == 0) return false;
  uint64_t index = 0;
  for (int level = levels_ - 1; level >= 0; --level) {
    uint64_t word = words_[offset_[level] + index];
    index = index * 64 + static_cast<uint64_t>(__builtin_ctzll(word));
  }
  *out = index;
  return true;
}

}  // namespace hiillos::mm
