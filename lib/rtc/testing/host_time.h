// lib/rtc/testing/host_time.h — the host C library's answer (timegm) for a date and time: the
// independent oracle the tests and the fuzzer compare UnixSeconds with.
#pragma once

#include <stdint.h>
#include <time.h>

#include "lib/rtc/civil.h"

namespace hiillos::rtc::testing {

inline int64_t HostTimegm(const DateTime& time) {
  struct tm tm = {};
  tm.tm_year = static_cast<int>(time.year) - 1900;
  tm.tm_mon = time.month - 1;
  tm.tm_mday = time.day;
  tm.tm_hour = time.hour;
  tm.tm_min = time.minute;
  tm.tm_sec = time.second;
  return timegm(&tm);
}

}  // namespace hiillos::rtc::testing
