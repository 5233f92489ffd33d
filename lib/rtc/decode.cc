// lib/rtc/decode.cc — register decoding and validation.
#include "lib/rtc/decode.h"

namespace hiillos::rtc {
namespace {

Result<uint8_t, Error> Number(uint8_t byte, bool binary) {
  if (binary) return byte;
  const uint8_t high = byte >> 4;
  const uint8_t low = byte & 0xF;
  if (high > 9 || low > 9) return Err(Error::kBadBcd);
  return static_cast<uint8_t>(high * 10 + low);
}

Result<uint8_t, Error> InRange(uint8_t byte, bool binary, uint8_t low, uint8_t high, Error error) {
  const uint8_t value = TRY(Number(byte, binary));
  if (value < low || value > high) return Err(error);
  return value;
}

Result<uint8_t, Error> Hour(uint8_t byte, bool binary, bool hour24) {
  if (hour24) return InRange(byte, binary, 0, 23, Error::kBadHour);
  const bool pm = (byte & kHourPm) != 0;
  const uint8_t hour =
      TRY(InRange(static_cast<uint8_t>(byte & ~kHourPm), binary, 1, 12, Error::kBadHour));
  return static_cast<uint8_t>(hour % 12 + (pm ? 12 : 0));  // 12 AM is 0, 12 PM is 12
}

}  // namespace

Result<DateTime, Error> DecodeTime(const RawTime& raw) {
  const bool binary = (raw.status_b & kStatusBBinary) != 0;
  const bool hour24 = (raw.status_b & kStatusB24Hour) != 0;
  DateTime time;
  time.second = TRY(InRange(raw.second, binary, 0, 59, Error::kBadSecond));
  time.minute = TRY(InRange(raw.minute, binary, 0, 59, Error::kBadMinute));
  time.hour = TRY(Hour(raw.hour, binary, hour24));
  time.month = TRY(InRange(raw.month, binary, 1, 12, Error::kBadMonth));
  const uint8_t year = TRY(InRange(raw.year, binary, 0, 99, Error::kBadYear));
  uint32_t century = year < kCenturyPivot ? 20 : 19;
  if (raw.has_century) century = TRY(InRange(raw.century, binary, 19, 99, Error::kBadCentury));
  time.year = century * 100 + year;
  time.day = TRY(InRange(raw.day, binary, 1, DaysInMonth(time.year, time.month), Error::kBadDay));
  return time;
}

Result<int64_t, Error> ReadUnixTime(CmosAccessor& cmos, uint8_t century_register) {
  const RawTime raw = TRY(ReadSnapshot(cmos, century_register));
  const DateTime time = TRY(DecodeTime(raw));
  return UnixSeconds(time);
}

}  // namespace hiillos::rtc
