// lib/rtc/testing/encode.h — the inverse of DecodeTime for tests and the fuzzer: what an RTC
// in a given mode holds for a date and time.
#pragma once

#include <stdint.h>

#include "lib/rtc/civil.h"
#include "lib/rtc/registers.h"
#include "lib/rtc/snapshot.h"

namespace hiillos::rtc::testing {

struct Mode {
  bool binary = false;
  bool hour24 = true;
  bool century_register = true;
};

inline uint8_t EncodeNumber(uint8_t value, bool binary) {
  return binary ? value : static_cast<uint8_t>(((value / 10) << 4) | (value % 10));
}

inline RawTime EncodeTime(const DateTime& time, Mode mode) {
  RawTime raw;
  raw.second = EncodeNumber(time.second, mode.binary);
  raw.minute = EncodeNumber(time.minute, mode.binary);
  if (mode.hour24) {
    raw.hour = EncodeNumber(time.hour, mode.binary);
  } else {
    const uint8_t hour12 = time.hour % 12 == 0 ? 12 : time.hour % 12;
    raw.hour =
        static_cast<uint8_t>(EncodeNumber(hour12, mode.binary) | (time.hour >= 12 ? kHourPm : 0));
  }
  raw.day = EncodeNumber(time.day, mode.binary);
  raw.month = EncodeNumber(time.month, mode.binary);
  raw.year = EncodeNumber(static_cast<uint8_t>(time.year % 100), mode.binary);
  raw.has_century = mode.century_register;
  if (mode.century_register) {
    raw.century = EncodeNumber(static_cast<uint8_t>(time.year / 100), mode.binary);
  }
  raw.status_b =
      static_cast<uint8_t>((mode.binary ? kStatusBBinary : 0) | (mode.hour24 ? kStatusB24Hour : 0));
  return raw;
}

}  // namespace hiillos::rtc::testing
