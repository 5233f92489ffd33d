// lib/time/time_math.h — overflow-safe fixed-point arithmetic for clocks (host tested).
#pragma once

#include <stdint.h>

namespace hiillos::time {

inline constexpr uint64_t kNanosecondsPerSecond = 1'000'000'000ull;
inline constexpr uint64_t kFemtosecondsPerNanosecond = 1'000'000ull;

// (high * 2^64 + low) / c for high < c, by shift-and-subtract: the freestanding kernel has no
// __udivti3 for a 128-bit division. The remainder stays below c; a carry out of bit 63 means
// the shifted value exceeds 2^64 > c, and the wrapped subtraction is still exact.
constexpr uint64_t DivideWide(uint64_t high, uint64_t low, uint64_t c) {
  uint64_t remainder = high;
  uint64_t quotient = 0;
  for (int bit = 63; bit >= 0; --bit) {
    bool carry = (remainder >> 63) != 0;
    remainder = (remainder << 1) | ((low >> bit) & 1);
    quotient <<= 1;
    if (carry || remainder >= c) {
      remainder -= c;
      quotient |= 1;
    }
  }
  return quotient;
}

// a * b / c with a 128-bit intermediate; saturates at UINT64_MAX when the quotient does not fit
// (or c == 0).
inline uint64_t MulDiv(uint64_t a, uint64_t b, uint64_t c) {
  if (c == 0) return ~0ull;
  unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  uint64_t high = static_cast<uint64_t>(product >> 64);
  uint64_t low = static_cast<uint64_t>(product);
  if (high == 0) return low / c;
  if (high >= c) return ~0ull;  // the quotient needs more than 64 bits
  return DivideWide(high, low, c);
}

// A frequency as a 32.32 fixed-point "nanoseconds per tick" multiplier: ns = ticks * mult >> 32.
// Exact to ~1 part in 2^32 of the multiplier; fine for any frequency from 1 Hz to ~4 THz.
struct TickScale {
  uint64_t mult = 0;

  static constexpr TickScale ForHz(uint64_t hz) {
    return TickScale{hz == 0 ? 0 : (kNanosecondsPerSecond << 32) / hz};
  }
  // Saturates instead of overflowing (after ~2^64 ns there is nothing left to measure).
  uint64_t ToNanoseconds(uint64_t ticks) const {
    unsigned __int128 ns = (static_cast<unsigned __int128>(ticks) * mult) >> 32;
    return ns > ~0ull ? ~0ull : static_cast<uint64_t>(ns);
  }
};

// Hz of a counter whose `ticks` elapsed in `nanoseconds` (0 if nanoseconds == 0).
inline uint64_t FrequencyHz(uint64_t ticks, uint64_t nanoseconds) {
  if (nanoseconds == 0) return 0;
  return MulDiv(ticks, kNanosecondsPerSecond, nanoseconds);
}

}  // namespace hiillos::time
