// lib/zstd/bit_reader.h — the two bit readers of RFC 8878: forward (FSE table descriptions)
// and backward (Huffman and FSE bitstreams, read from the last byte towards the first).
//
// Both are bounded by their buffer: a read past the end yields zero bits (forward) or garbage
// bits (backward) but never touches memory outside [start, end); callers detect overrun with
// Overrun() / Finished() after decoding.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/zstd/bytes.h"

namespace hiillos::zstd {

// Little-endian, least significant bit first (RFC 8878 §4.1.1).
class ForwardBitReader {
 public:
  ForwardBitReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // Next `count` (0..25) bits; bits past the end read as zero.
  uint32_t Peek(unsigned count) const {
    size_t byte = bit_position_ >> 3;
    uint32_t word = 0;
    for (unsigned i = 0; i < 4 && byte + i < size_; ++i)
      word |= uint32_t{data_[byte + i]} << (8 * i);
    return (word >> (bit_position_ & 7)) & ((uint32_t{1} << count) - 1);
  }
  void Skip(unsigned count) { bit_position_ += count; }
  uint32_t Read(unsigned count) {
    uint32_t value = Peek(count);
    Skip(count);
    return value;
  }
  // True once more bits were consumed than the buffer holds.
  bool Overrun() const { return bit_position_ > uint64_t{size_} * 8; }
  // Whole bytes touched so far.
  size_t BytesConsumed() const { return (bit_position_ + 7) >> 3; }

 private:
  const uint8_t* data_;
  size_t size_;
  uint64_t bit_position_ = 0;
};

// Reads a bitstream backwards (RFC 8878 §4.1, "bitstreams are read in reverse direction"):
// the last byte holds a 1-bit end marker above the first bits. Bits come from a 64-bit
// container; Reload() refills it from memory so that at least 56 bits are readable, except
// near the start of the stream.
class BackwardBitReader {
 public:
  // Returns false when the stream is empty or its last byte has no end marker.
  bool Init(const uint8_t* data, size_t size) {
    if (size == 0 || data[size - 1] == 0) return false;
    start_ = data;
    unsigned padding = 8 - HighBit(data[size - 1]);
    if (size >= 8) {
      ptr_ = data + size - 8;
      container_ = Load64(ptr_);
      consumed_ = padding;
    } else {
      ptr_ = data;
      container_ = 0;
      for (size_t i = 0; i < size; ++i) container_ |= uint64_t{data[i]} << (8 * i);
      consumed_ = padding + unsigned(8 - size) * 8;
    }
    return true;
  }

  // The next `count` (0..56) bits without consuming them.
  uint64_t Peek(unsigned count) const {
    return ((container_ << (consumed_ & 63)) >> 1) >> (63 - count);
  }
  // `count` must be 1..56 (no zero-width special case: faster for Huffman lookups).
  uint64_t PeekNonZero(unsigned count) const {
    return (container_ << (consumed_ & 63)) >> (64 - count);
  }
  void Skip(unsigned count) { consumed_ += count; }
  uint64_t Read(unsigned count) {
    uint64_t value = Peek(count);
    consumed_ += count;
    return value;
  }

  // Refills the container. Returns true while a full refill was possible (>= 56 bits ready).
  bool Reload() {
    if (consumed_ > 64) return false;  // overrun: leave it visible to Finished()/Overrun()
    if (ptr_ - start_ >= 8) {
      ptr_ -= consumed_ >> 3;
      consumed_ &= 7;
      container_ = Load64(ptr_);
      return true;
    }
    if (ptr_ == start_) return false;
    size_t step = consumed_ >> 3;
    if (step > size_t(ptr_ - start_)) step = ptr_ - start_;
    // Only reachable when the stream has at least 8 bytes (ptr_ > start_).
    ptr_ -= step;
    consumed_ -= unsigned(step) * 8;
    container_ = Load64(ptr_);
    return false;
  }

  // True when every bit of the stream was consumed, exactly.
  bool Finished() const { return ptr_ == start_ && consumed_ == 64; }
  // True when more bits were consumed than the stream holds (callers reload often enough that
  // this cannot happen before the start of the stream is reached).
  bool Overrun() const { return consumed_ > 64; }

 private:
  const uint8_t* start_ = nullptr;
  const uint8_t* ptr_ = nullptr;
  uint64_t container_ = 0;
  unsigned consumed_ = 0;
};

}  // namespace hiillos::zstd
