// lib/rtc/decode_test.cc — decoding in every mode against the host's timegm, and every invalid
// field.
#include "lib/rtc/decode.h"

#include <gtest/gtest.h>
#include <time.h>

#include "lib/rtc/testing/encode.h"
#include "lib/rtc/testing/host_time.h"

namespace hiillos::rtc {
namespace {

using testing::EncodeTime;
using testing::HostTimegm;
using testing::Mode;

// The date and time `seconds` after 1970-01-01T00:00:00Z, from the host's gmtime.
DateTime HostDate(int64_t seconds) {
  const time_t t = static_cast<time_t>(seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  return DateTime{static_cast<uint32_t>(tm.tm_year + 1900), static_cast<uint8_t>(tm.tm_mon + 1),
                  static_cast<uint8_t>(tm.tm_mday),         static_cast<uint8_t>(tm.tm_hour),
                  static_cast<uint8_t>(tm.tm_min),          static_cast<uint8_t>(tm.tm_sec)};
}

Mode AllModes(int bits) {
  return Mode{
      .binary = (bits & 1) != 0, .hour24 = (bits & 2) != 0, .century_register = (bits & 4) != 0};
}

TEST(DecodeTime, KnownInstants) {
  const Mode bcd24{.binary = false, .hour24 = true, .century_register = true};
  // QEMU's -rtc base=2024-01-01T00:00:00 (what the runner uses under icount).
  auto decoded = DecodeTime(EncodeTime(DateTime{2024, 1, 1, 0, 0, 0}, bcd24));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(UnixSeconds(decoded.value()), 1704067200);
  EXPECT_EQ(UnixSeconds(DateTime{1970, 1, 1, 0, 0, 0}), 0);
  EXPECT_EQ(UnixSeconds(DateTime{2038, 1, 19, 3, 14, 8}), 2147483648);
  EXPECT_EQ(UnixSeconds(DateTime{2000, 2, 29, 23, 59, 59}), 951868799);
  EXPECT_EQ(UnixSeconds(DateTime{2100, 3, 1, 0, 0, 0}), 4107542400);
  EXPECT_EQ(UnixSeconds(DateTime{1969, 12, 31, 23, 59, 59}), -1);
}

// Every mode, a date every 3 days and 7 hours 11 minutes 13 seconds from 1970 to 2199 (2069
// without a century register), against timegm.
TEST(DecodeTime, MatchesTimegmInEveryMode) {
  for (int bits = 0; bits < 8; ++bits) {
    const Mode mode = AllModes(bits);
    const int64_t end =
        mode.century_register ? HostTimegm(DateTime{2200, 1, 1}) : HostTimegm(DateTime{2070, 1, 1});
    int checked = 0;
    for (int64_t t = 0; t < end; t += 3 * 86400 + 7 * 3600 + 11 * 60 + 13) {
      const DateTime expected = HostDate(t);
      auto decoded = DecodeTime(EncodeTime(expected, mode));
      ASSERT_TRUE(decoded.ok()) << "mode " << bits << " t " << t << ": "
                                << ErrorName(decoded.error());
      ASSERT_EQ(decoded.value(), expected) << "mode " << bits << " t " << t;
      ASSERT_EQ(UnixSeconds(decoded.value()), t) << "mode " << bits;
      ++checked;
    }
    EXPECT_GT(checked, 7000);
  }
}

TEST(DecodeTime, EveryHourInTwelveHourMode) {
  for (uint8_t hour = 0; hour < 24; ++hour) {
    for (bool binary : {false, true}) {
      const DateTime time{2024, 6, 15, hour, 30, 0};
      const RawTime raw = EncodeTime(time, Mode{.binary = binary, .hour24 = false});
      EXPECT_EQ((raw.hour & kHourPm) != 0, hour >= 12) << int{hour};
      auto decoded = DecodeTime(raw);
      ASSERT_TRUE(decoded.ok());
      EXPECT_EQ(decoded.value().hour, hour);
    }
  }
  // 12 AM is midnight, 12 PM noon (BCD 0x12).
  RawTime raw = EncodeTime(DateTime{2024, 6, 15, 0, 0, 0}, Mode{.hour24 = false});
  EXPECT_EQ(raw.hour, 0x12);
  raw.hour = 0x92;
  EXPECT_EQ(DecodeTime(raw).value().hour, 12);
}

TEST(DecodeTime, CenturyPivotWithoutCenturyRegister) {
  const Mode mode{.century_register = false};
  EXPECT_EQ(DecodeTime(EncodeTime(DateTime{2069, 12, 31}, mode)).value().year, 2069u);
  EXPECT_EQ(DecodeTime(EncodeTime(DateTime{1970, 1, 1}, mode)).value().year, 1970u);
  EXPECT_EQ(DecodeTime(EncodeTime(DateTime{1999, 12, 31}, mode)).value().year, 1999u);
  EXPECT_EQ(DecodeTime(EncodeTime(DateTime{2000, 1, 1}, mode)).value().year, 2000u);
}

TEST(DecodeTime, BeyondTwentyNinetyNine) {
  const Mode mode{};
  auto decoded = DecodeTime(EncodeTime(DateTime{2150, 7, 4, 12, 0, 0}, mode));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value().year, 2150u);
  EXPECT_EQ(UnixSeconds(decoded.value()), HostTimegm(DateTime{2150, 7, 4, 12, 0, 0}));
  auto last = DecodeTime(EncodeTime(DateTime{9999, 12, 31, 23, 59, 59}, mode));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(UnixSeconds(last.value()), 253402300799);
}

Error DecodeError(RawTime raw) {
  auto decoded = DecodeTime(raw);
  EXPECT_FALSE(decoded.ok());
  return decoded.ok() ? Error::kUnstable : decoded.error();
}

TEST(DecodeTime, InvalidFieldsAreErrors) {
  const RawTime good = EncodeTime(DateTime{2024, 3, 10, 13, 45, 30}, Mode{});
  ASSERT_TRUE(DecodeTime(good).ok());
  RawTime raw = good;
  raw.second = 0x1A;
  EXPECT_EQ(DecodeError(raw), Error::kBadBcd);
  raw = good, raw.second = 0x60;
  EXPECT_EQ(DecodeError(raw), Error::kBadSecond);
  raw = good, raw.minute = 0x60;
  EXPECT_EQ(DecodeError(raw), Error::kBadMinute);
  raw = good, raw.minute = 0xA0;
  EXPECT_EQ(DecodeError(raw), Error::kBadBcd);
  raw = good, raw.hour = 0x24;
  EXPECT_EQ(DecodeError(raw), Error::kBadHour);
  raw = good, raw.hour = 0x81;  // PM flag in 24-hour mode
  EXPECT_EQ(DecodeError(raw), Error::kBadHour);
  raw = good, raw.month = 0x00;
  EXPECT_EQ(DecodeError(raw), Error::kBadMonth);
  raw = good, raw.month = 0x13;
  EXPECT_EQ(DecodeError(raw), Error::kBadMonth);
  raw = good, raw.day = 0x00;
  EXPECT_EQ(DecodeError(raw), Error::kBadDay);
  raw = good, raw.day = 0x32;
  EXPECT_EQ(DecodeError(raw), Error::kBadDay);
  raw = good, raw.month = 0x04, raw.day = 0x31;
  EXPECT_EQ(DecodeError(raw), Error::kBadDay);
  raw = good, raw.year = 0xFF;
  EXPECT_EQ(DecodeError(raw), Error::kBadBcd);
  raw = good, raw.century = 0x18;
  EXPECT_EQ(DecodeError(raw), Error::kBadCentury);
  raw = good, raw.century = 0x00;
  EXPECT_EQ(DecodeError(raw), Error::kBadCentury);
}

TEST(DecodeTime, InvalidInTwelveHourAndBinaryModes) {
  RawTime raw = EncodeTime(DateTime{2024, 3, 10, 1, 0, 0}, Mode{.hour24 = false});
  raw.hour = 0x00;  // 12-hour mode has no hour 0
  EXPECT_EQ(DecodeError(raw), Error::kBadHour);
  raw.hour = 0x13;
  EXPECT_EQ(DecodeError(raw), Error::kBadHour);
  raw.hour = 0x80;  // PM with hour 0
  EXPECT_EQ(DecodeError(raw), Error::kBadHour);

  RawTime binary = EncodeTime(DateTime{2024, 3, 10, 1, 0, 0}, Mode{.binary = true});
  binary.year = 100;
  EXPECT_EQ(DecodeError(binary), Error::kBadYear);
  binary.year = 24, binary.second = 0x3C;  // 60
  EXPECT_EQ(DecodeError(binary), Error::kBadSecond);
  binary.second = 0x1A;  // 26 in binary: fine
  EXPECT_TRUE(DecodeTime(binary).ok());
}

TEST(DecodeTime, LeapDays) {
  const Mode mode{};
  EXPECT_TRUE(DecodeTime(EncodeTime(DateTime{2000, 2, 29}, mode)).ok());
  EXPECT_TRUE(DecodeTime(EncodeTime(DateTime{2024, 2, 29}, mode)).ok());
  RawTime raw = EncodeTime(DateTime{2100, 2, 28}, mode);
  raw.day = 0x29;  // 2100 is not a leap year
  EXPECT_EQ(DecodeError(raw), Error::kBadDay);
  raw = EncodeTime(DateTime{2023, 2, 28}, mode);
  raw.day = 0x29;
  EXPECT_EQ(DecodeError(raw), Error::kBadDay);
}

TEST(Civil, MonthLengthsAndLeapYears) {
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2100));
  EXPECT_FALSE(IsLeapYear(2023));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 2), 28);
  EXPECT_EQ(DaysInMonth(2023, 4), 30);
  EXPECT_EQ(DaysInMonth(2023, 12), 31);
  EXPECT_EQ(DaysInMonth(2023, 0), 0);
  EXPECT_EQ(DaysInMonth(2023, 13), 0);
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
}

}  // namespace
}  // namespace hiillos::rtc
