// lib/time/time_math_test.cc — host tests of the clock arithmetic.
#include "lib/time/time_math.h"

#include <gtest/gtest.h>

namespace hiillos::time {
namespace {

TEST(MulDiv, ExactAndWide) {
  EXPECT_EQ(MulDiv(10, 20, 4), 50u);
  EXPECT_EQ(MulDiv(0, 20, 4), 0u);
  // a * b overflows 64 bits but the quotient fits.
  EXPECT_EQ(MulDiv(1ull << 40, 1ull << 40, 1ull << 30), 1ull << 50);
  EXPECT_EQ(MulDiv(~0ull, ~0ull, ~0ull), ~0ull);
  EXPECT_EQ(MulDiv(3'000'000'000ull, 1'000'000'000ull, 3'000'000'000ull), 1'000'000'000ull);
}

// The kernel's shift-and-subtract division against the host's 128-bit division.
TEST(DivideWide, MatchesHostDivision) {
  const uint64_t divisors[] = {1, 3, 10, 1'000'000'007ull, 1ull << 32, (1ull << 63) + 5, ~0ull};
  uint64_t seed = 0x9e37'79b9'7f4a'7c15ull;
  for (uint64_t c : divisors) {
    for (int i = 0; i < 200; ++i) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      uint64_t high = c == 1 ? 0 : seed % c;
      uint64_t low = seed ^ (seed >> 29);
      unsigned __int128 n = (static_cast<unsigned __int128>(high) << 64) | low;
      EXPECT_EQ(DivideWide(high, low, c), static_cast<uint64_t>(n / c)) << high << " " << low;
    }
  }
}

TEST(MulDiv, SaturatesInsteadOfTrapping) {
  EXPECT_EQ(MulDiv(1, 1, 0), ~0ull);
  EXPECT_EQ(MulDiv(1ull << 63, 4, 1), ~0ull);  // quotient 2^65
  EXPECT_EQ(MulDiv(~0ull, 2, 1), ~0ull);
}

TEST(TickScale, ConvertsCommonFrequencies) {
  EXPECT_EQ(TickScale::ForHz(1'000'000'000).ToNanoseconds(12345), 12345u);
  EXPECT_EQ(TickScale::ForHz(2'000'000'000).ToNanoseconds(2'000'000'000), 1'000'000'000u);
  // 3 GHz: one second of ticks is one second, within the 32.32 rounding (< 1 ns per second).
  uint64_t ns = TickScale::ForHz(3'000'000'000).ToNanoseconds(3'000'000'000);
  EXPECT_LE(ns, 1'000'000'000u);
  EXPECT_GE(ns, 1'000'000'000u - 1);
  // A 14.318 MHz HPET-like rate over an hour.
  uint64_t hour_ticks = 14'318'180ull * 3600;
  uint64_t hour_ns = TickScale::ForHz(14'318'180).ToNanoseconds(hour_ticks);
  EXPECT_NEAR(static_cast<double>(hour_ns), 3600e9, 3600e9 * 1e-8);
}

TEST(TickScale, ZeroAndHugeInputs) {
  EXPECT_EQ(TickScale::ForHz(0).ToNanoseconds(1000), 0u);
  EXPECT_EQ(TickScale::ForHz(1).ToNanoseconds(~0ull), ~0ull);  // saturates
  EXPECT_EQ(TickScale::ForHz(1'000'000'000).ToNanoseconds(~0ull), ~0ull);
}

TEST(FrequencyHz, FromTicksAndTime) {
  EXPECT_EQ(FrequencyHz(1'000'000, 1'000'000), 1'000'000'000u);
  EXPECT_EQ(FrequencyHz(30'000'000, 10'000'000), 3'000'000'000u);
  EXPECT_EQ(FrequencyHz(5, 0), 0u);
}

}  // namespace
}  // namespace hiillos::time
