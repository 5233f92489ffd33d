// lib/fat32/timestamp.cc — civil-date arithmetic (H. Hinnant's days_from_civil) for FAT times.
#include "lib/fat32/timestamp.h"

namespace hiillos::fat32 {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

int64_t DaysFromCivil(int64_t year, uint32_t month, uint32_t day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const uint32_t year_of_era = static_cast<uint32_t>(year - era * 400);
  const uint32_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const uint32_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

void CivilFromDays(int64_t days, int64_t* year, uint32_t* month, uint32_t* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const uint32_t day_of_era = static_cast<uint32_t>(days - era * 146097);
  const uint32_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const uint32_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const uint32_t mp = (5 * day_of_year + 2) / 153;
  *day = day_of_year - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int64_t>(year_of_era) + era * 400 + (*month <= 2);
}

}  // namespace

FatTimestamp ToFatTimestamp(uint64_t unix_seconds, uint8_t centiseconds) {
  const uint64_t first = static_cast<uint64_t>(DaysFromCivil(1980, 1, 1)) * kSecondsPerDay;
  const uint64_t last =
      static_cast<uint64_t>(DaysFromCivil(2107, 12, 31)) * kSecondsPerDay + kSecondsPerDay - 2;
  if (unix_seconds < first) unix_seconds = first, centiseconds = 0;
  if (unix_seconds > last) unix_seconds = last, centiseconds = 0;
  const int64_t days = static_cast<int64_t>(unix_seconds / kSecondsPerDay);
  const uint32_t second_of_day = static_cast<uint32_t>(unix_seconds % kSecondsPerDay);
  int64_t year = 0;
  uint32_t month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  FatTimestamp stamp;
  stamp.date = static_cast<uint16_t>(((year - 1980) << 9) | (month << 5) | day);
  const uint32_t hour = second_of_day / 3600;
  const uint32_t minute = second_of_day / 60 % 60;
  const uint32_t second = second_of_day % 60;
  stamp.time = static_cast<uint16_t>((hour << 11) | (minute << 5) | (second / 2));
  // The hundredths field also carries the odd second (0..199).
  if (centiseconds > 99) centiseconds = 99;
  stamp.centiseconds = static_cast<uint8_t>((second % 2) * 100 + centiseconds);
  return stamp;
}

uint64_t FromFatTimestamp(uint16_t date, uint16_t time) {
  const int64_t year = 1980 + (date >> 9);
  uint32_t month = (date >> 5) & 0x0F;
  uint32_t day = date & 0x1F;
  if (month < 1) month = 1;
  if (month > 12) month = 12;
  if (day < 1) day = 1;
  uint32_t hour = time >> 11;
  uint32_t minute = (time >> 5) & 0x3F;
  uint32_t second = (time & 0x1F) * 2;
  if (hour > 23) hour = 23;
  if (minute > 59) minute = 59;
  if (second > 59) second = 58;
  return static_cast<uint64_t>(DaysFromCivil(year, month, day)) * kSecondsPerDay + hour * 3600 +
         minute * 60 + second;
}

}  // namespace hiillos::fat32
