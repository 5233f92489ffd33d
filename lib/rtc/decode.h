// lib/rtc/decode.h — turns the RTC's register bytes into a validated date and time: BCD or
// binary (status B bit 2), 12- or 24-hour (status B bit 1, PM in the hour's bit 7), the
// century from the FADT's century register or the pivot below.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/rtc/civil.h"
#include "lib/rtc/error.h"
#include "lib/rtc/registers.h"
#include "lib/rtc/snapshot.h"

namespace hiillos::rtc {

// Without a century register: two-digit years below this are 20xx, the rest 19xx
// (00..69 -> 2000..2069, 70..99 -> 1970..1999: never before the Unix epoch).
inline constexpr uint8_t kCenturyPivot = 70;

// Every field is checked; an impossible date (a BCD nibble above 9, hour 24, 12-hour 0,
// 31 April, 29 February in a common year, month 13, ...) is an error, never a wrong time.
// Errors: kBadBcd, kBadSecond, kBadMinute, kBadHour, kBadDay, kBadMonth, kBadYear, kBadCentury.
Result<DateTime, Error> DecodeTime(const RawTime& raw);

// ReadSnapshot + DecodeTime + UnixSeconds: the wall-clock time timed starts from.
// `century_register` is the FADT's CENTURY field (0 = none).
Result<int64_t, Error> ReadUnixTime(CmosAccessor& cmos, uint8_t century_register);

}  // namespace hiillos::rtc
