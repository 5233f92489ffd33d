// lib/ring/testing/test_region.h — a cache-line aligned heap region with guard bytes after it,
// standing in for a shared frame in host tests. Under AddressSanitizer the guard is poisoned,
// so a read past the region fails the test too, not only a write.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define HIILLOS_RING_TEST_ASAN 1
#endif
#endif

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
    PoisonGuard(true);
  }
  ~TestRegion() {
    PoisonGuard(false);
    free(bytes_);
  }
  TestRegion(const TestRegion&) = delete;
  TestRegion& operator=(const TestRegion&) = delete;

  uint8_t* data() { return bytes_; }
  size_t size() const { return size_; }
  // True when nothing wrote past the end of the region.
  bool GuardIntact() const {
    PoisonGuard(false);
    bool intact = true;
    for (size_t i = 0; i < kGuardBytes; ++i) intact = intact && bytes_[size_ + i] == kGuardValue;
    PoisonGuard(true);
    return intact;
  }

 private:
  void PoisonGuard(bool poison) const {
#ifdef HIILLOS_RING_TEST_ASAN
    if (poison) {
      ASAN_POISON_MEMORY_REGION(bytes_ + size_, kGuardBytes);
    } else {
      ASAN_UNPOISON_MEMORY_REGION(bytes_ + size_, kGuardBytes);
    }
#else
    (void)poison;
#endif
  }

  uint8_t* bytes_;
  size_t size_;
};

}  // namespace hiillos::ring::testing
