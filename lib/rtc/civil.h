// lib/rtc/civil.h — proleptic Gregorian calendar arithmetic: leap years, month lengths and
// days since 1970-01-01 (Howard Hinnant's days_from_civil), so a date becomes Unix time.
#pragma once

#include <stdint.h>

namespace hiillos::rtc {

struct DateTime {
  uint32_t year = 1970;  // full year, e.g. 2024
  uint8_t month = 1;     // 1..12
  uint8_t day = 1;       // 1..DaysInMonth
  uint8_t hour = 0;      // 0..23
  uint8_t minute = 0;    // 0..59
  uint8_t second = 0;    // 0..59

  bool operator==(const DateTime&) const = default;
};

constexpr bool IsLeapYear(uint32_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

// 28..31; 0 for a month outside 1..12.
uint8_t DaysInMonth(uint32_t year, uint8_t month);

// Days from 1970-01-01 to year-month-day (negative before it). Any year 0..2^32-1 and month
// 1..12 and day 1..31 give an exact answer (no overflow in int64).
int64_t DaysFromCivil(uint32_t year, uint8_t month, uint8_t day);

// Seconds since 1970-01-01T00:00:00Z of a valid date-time (UTC, no leap seconds).
int64_t UnixSeconds(const DateTime& time);

}  // namespace hiillos::rtc
