// Host tests for Result/TRY and checked arithmetic.
#include <gtest/gtest.h>
#include <stdint.h>

#include "lib/base/checked.h"
#include "lib/base/result.h"

namespace hiillos {
namespace {

enum class TestError { kBad, kWorse };

Result<int, TestError> Half(int v) {
  if (v % 2 != 0) return Err(TestError::kBad);
  return v / 2;
}

Result<int, TestError> Quarter(int v) {
  int half = TRY(Half(v));
  return TRY(Half(half));
}

Result<void, TestError> CheckPositive(int v) {
  if (v <= 0) return Err(TestError::kWorse);
  return {};
}

TEST(ResultTest, ValueAndErrorPropagate) {
  auto ok = Quarter(8);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value(), 2);
  auto bad = Quarter(6);  // 6/2 = 3 is odd: the second Half fails
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), TestError::kBad);
  EXPECT_EQ(bad.value_or(-1), -1);
}

TEST(ResultTest, VoidResult) {
  EXPECT_TRUE(CheckPositive(1).ok());
  auto r = CheckPositive(0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), TestError::kWorse);
}

TEST(CheckedTest, Overflow) {
  uint64_t out = 0;
  EXPECT_TRUE(CheckedAdd<uint64_t>(1, 2, &out));
  EXPECT_EQ(out, 3u);
  EXPECT_FALSE(CheckedAdd<uint64_t>(~0ull, 1, &out));
  EXPECT_FALSE(CheckedMul<uint64_t>(1ull << 63, 2, &out));
  EXPECT_TRUE(RangeInside(10, 5, 15));
  EXPECT_FALSE(RangeInside(10, 6, 15));
  EXPECT_FALSE(RangeInside(~0ull, 2, ~0ull));
  EXPECT_TRUE(RangesOverlap(0, 10, 9, 1));
  EXPECT_FALSE(RangesOverlap(0, 10, 10, 1));
  EXPECT_TRUE(AlignUp(4097, 4096, &out));
  EXPECT_EQ(out, 8192u);
  EXPECT_FALSE(AlignUp(~0ull, 4096, &out));
  EXPECT_EQ(AlignDown(8191, 4096), 4096u);
  EXPECT_TRUE(IsPowerOfTwo(4096));
  EXPECT_FALSE(IsPowerOfTwo(0));
}

}  // namespace
}  // namespace hiillos
