// lib/rtc/civil.cc — month lengths and days_from_civil
// (http://howardhinnant.github.io/date_algorithms.html, public domain algorithm).
#include "lib/rtc/civil.h"

namespace hiillos::rtc {

uint8_t DaysInMonth(uint32_t year, uint8_t month) {
  static constexpr uint8_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

int64_t DaysFromCivil(uint32_t year, uint8_t month, uint8_t day) {
  // Years start in March so the leap day is the last day of the "year".
  const int64_t y = int64_t{year} - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;                           // 0..399
  const int64_t month_from_march = month > 2 ? month - 3 : month + 9;  // 0..11
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // 0..146096
  return era * 146097 + day_of_era - 719468;  // 719468: days from 0000-03-01 to 1970-01-01
}

int64_t UnixSeconds(const DateTime& time) {
  return DaysFromCivil(time.year, time.month, time.day) * 86400 + int64_t{time.hour} * 3600 +
         int64_t{time.minute} * 60 + time.second;
}

}  // namespace hiillos::rtc
