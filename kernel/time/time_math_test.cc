// kernel/time/time_math_test.cc — host tests of the clock arithmetic.
#include "kernel/time/time_math.h"

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
