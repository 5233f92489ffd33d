// kernel/time/time_math.h — overflow-safe fixed-point arithmetic for clocks (host tested).
#pragma once

#include <stdint.h>

namespace hiillos::time {

inline constexpr uint64_t kNanosecondsPerSecond = 1'000'000'000ull;
inline constexpr uint64_t kFemtosecondsPerNanosecond = 1'000'000ull;

// a * b / c with a 128-bit intermediate; saturates at UINT64_MAX when the quotient does not fit
// (or c == 0). Uses DIV directly: the freestanding kernel has no __udivti3.
inline uint64_t MulDiv(uint64_t a, uint64_t b, uint64_t c) {
  if (c == 0) return ~0ull;
  unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  uint64_t high = static_cast<uint64_t>(product >> 64);
  uint64_t low = static_cast<uint64_t>(product);
  if (high >= c) return ~0ull;  // quotient >= 2^64: DIV would raise #DE
  uint64_t quotient, remainder;
  asm("divq %4" : "=a"(quotient), "=d"(remainder) : "a"(low), "d"(high), "rm"(c));
  (void)remainder;
  return quotient;
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
