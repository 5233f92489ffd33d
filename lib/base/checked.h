// lib/base/checked.h — overflow-checked integer arithmetic and alignment helpers.
#pragma once

#include <stdint.h>

namespace hiillos {

// Returns false (and leaves *out unspecified) when a + b overflows T.
template <typename T>
[[nodiscard]] constexpr bool CheckedAdd(T a, T b, T* out) {
  return !__builtin_add_overflow(a, b, out);
}
template <typename T>
[[nodiscard]] constexpr bool CheckedMul(T a, T b, T* out) {
  return !__builtin_mul_overflow(a, b, out);
}
template <typename T>
[[nodiscard]] constexpr bool CheckedSub(T a, T b, T* out) {
  return !__builtin_sub_overflow(a, b, out);
}

// True when [offset, offset + size) lies inside [0, limit) without overflow.
[[nodiscard]] constexpr bool RangeInside(uint64_t offset, uint64_t size, uint64_t limit) {
  uint64_t end = 0;
  return CheckedAdd(offset, size, &end) && end <= limit;
}

// True when [a, a + a_size) and [b, b + b_size) share a byte. Sizes must not overflow.
[[nodiscard]] constexpr bool RangesOverlap(uint64_t a, uint64_t a_size, uint64_t b,
                                           uint64_t b_size) {
  return a < b + b_size && b < a + a_size;
}

constexpr bool IsPowerOfTwo(uint64_t v) {
  return v != 0 && (v & (v - 1)) == 0;
}
constexpr uint64_t AlignDown(uint64_t v, uint64_t align) {
  return v & ~(align - 1);
}
// Returns false when rounding up overflows.
[[nodiscard]] constexpr bool AlignUp(uint64_t v, uint64_t align, uint64_t* out) {
  uint64_t sum = 0;
  if (!CheckedAdd(v, align - 1, &sum)) return false;
  *out = sum & ~(align - 1);
  return true;
}
constexpr bool IsAligned(uint64_t v, uint64_t align) {
  return (v & (align - 1)) == 0;
}

}  // namespace hiillos
