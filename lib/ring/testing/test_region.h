// lib/ring/testing/test_region.h — a cache-line aligned heap region with guard bytes after it,
// standing in for a shared frame in host tests.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

namespace hiillos::ring::testing {

class TestRegion {
 public:
  static constexpr size_t kGuardBytes = 256;
  static constexpr uint8_t kGuardValue = 0xa5;

  explicit TestRegion(size_t size) : size_(size) {
    const size_t total = (size + kGuardBytes + 63) / 64 * 64;
    bytes_ = static_cast<uint8_t*>(aligned_alloc(64, total));
    memset(bytes_, 0, size);
    memset(bytes_ + size, kGuardValue, kGuardBytes);
  }
  ~TestRegion() { free(bytes_); }
  TestRegion(const TestRegion&) = delete;
  TestRegion& operator=(const TestRegion&) = delete;

  uint8_t* data() { return bytes_; }
  size_t size() const { return size_; }
  // True when nothing wrote past the end of the region.
  bool GuardIntact() const {
    for (size_t i = 0; i < kGuardBytes; ++i) {
      if (bytes_[size_ + i] != kGuardValue) return false;
    }
    return true;
  }

 private:
  uint8_t* bytes_;
  size_t size_;
};

}  // namespace hiillos::ring::testing
