// lib/rtc/error.cc — human-readable names of rtc::Error values.
#include "lib/rtc/error.h"

namespace hiillos::rtc {

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kBadCenturyRegister:
      return "bad century register index";
    case Error::kUpdateStuck:
      return "RTC update never finished";
    case Error::kUnstable:
      return "RTC reads never matched";
    case Error::kBadBcd:
      return "invalid BCD digit";
    case Error::kBadSecond:
      return "invalid second";
    case Error::kBadMinute:
      return "invalid minute";
    case Error::kBadHour:
      return "invalid hour";
    case Error::kBadDay:
      return "invalid day of month";
    case Error::kBadMonth:
      return "invalid month";
    case Error::kBadYear:
      return "invalid year";
    case Error::kBadCentury:
      return "invalid century";
  }
  return "unknown RTC error";
}

}  // namespace hiillos::rtc
