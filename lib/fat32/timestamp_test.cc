// lib/fat32/timestamp_test.cc — FAT date/time conversion and its clamping.
#include "lib/fat32/timestamp.h"

#include "gtest/gtest.h"

namespace hiillos::fat32 {
namespace {

TEST(FatTimestamp, EncodesUtcFields) {
  // 2023-11-14 22:13:20 UTC.
  const FatTimestamp stamp = ToFatTimestamp(1700000000, 7);
  EXPECT_EQ(stamp.date, ((2023 - 1980) << 9) | (11 << 5) | 14);
  EXPECT_EQ(stamp.time, (22 << 11) | (13 << 5) | (20 / 2));
  EXPECT_EQ(stamp.centiseconds, 7);
  EXPECT_EQ(FromFatTimestamp(stamp.date, stamp.time), 1700000000u);
}

TEST(FatTimestamp, OddSecondsGoToTheHundredths) {
  const FatTimestamp stamp = ToFatTimestamp(1700000001, 50);
  EXPECT_EQ(stamp.time & 0x1F, 10);
  EXPECT_EQ(stamp.centiseconds, 150);
}

TEST(FatTimestamp, LeapDay) {
  // 2024-02-29 12:34:56 UTC.
  const FatTimestamp stamp = ToFatTimestamp(1709210096, 0);
  EXPECT_EQ(stamp.date, ((2024 - 1980) << 9) | (2 << 5) | 29);
  EXPECT_EQ(FromFatTimestamp(stamp.date, stamp.time), 1709210096u);
}

TEST(FatTimestamp, ClampsToTheFatRange) {
  const FatTimestamp early = ToFatTimestamp(0, 0);
  EXPECT_EQ(early.date, (0 << 9) | (1 << 5) | 1);
  EXPECT_EQ(early.time, 0);
  EXPECT_EQ(FromFatTimestamp(early.date, early.time), 315532800u);
  const FatTimestamp late = ToFatTimestamp(~uint64_t{0}, 0);
  EXPECT_EQ(FromFatTimestamp(late.date, late.time), 4354819198u);
}

TEST(FatTimestamp, GarbageFieldsAreClampedNotTrusted) {
  // Month 0, day 0, hour 31, minute 63, seconds 62.
  const uint64_t seconds = FromFatTimestamp(0x0000, 0xFFFF);
  EXPECT_EQ(seconds, 315532800u + 23 * 3600 + 59 * 60 + 58);
}

}  // namespace
}  // namespace hiillos::fat32
