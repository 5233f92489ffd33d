// lib/fuzzing/fuzz_script.h — FuzzScript: a fuzzer's input read as a script of little-endian
// numbers (zeros once it runs out), and FuzzCheck, the trap a fuzzer's invariant fails with.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::fuzzing {

inline void FuzzCheck(bool condition) {
  if (!condition) __builtin_trap();
}

class FuzzScript {
 public:
  FuzzScript(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return position_ >= size_; }
  uint8_t Byte() { return position_ < size_ ? data_[position_++] : 0; }
  uint16_t Half() {
    const uint16_t low = Byte();
    return static_cast<uint16_t>(low | static_cast<uint16_t>(Byte()) << 8);
  }
  uint32_t Word() {
    const uint32_t low = Half();
    return low | static_cast<uint32_t>(Half()) << 16;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
};

}  // namespace hiillos::fuzzing
