// lib/rtc/error.h — why the CMOS real-time clock could not be read (closed set; docs/rtc.md).
#pragma once

#include <stdint.h>

namespace hiillos::rtc {

enum class Error : uint8_t {
  kBadCenturyRegister,  // the FADT's century index aliases a clock/status register (< 0x0E)
                        // or lies beyond the standard 128-byte bank
  kUpdateStuck,         // status A's update-in-progress bit never cleared (kMaxUpdatePolls)
  kUnstable,            // no two consecutive reads matched in kMaxSnapshots reads
  kBadBcd,              // a BCD field with a nibble above 9
  kBadSecond,           // not 0..59
  kBadMinute,           // not 0..59
  kBadHour,             // not 0..23 (24-hour) or 1..12 (12-hour)
  kBadDay,              // not 1..days in that month of that year
  kBadMonth,            // not 1..12
  kBadYear,             // year byte not 0..99
  kBadCentury,          // century byte not 19..99
};

const char* ErrorName(Error error);

}  // namespace hiillos::rtc
