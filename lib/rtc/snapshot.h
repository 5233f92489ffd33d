// lib/rtc/snapshot.h — one consistent copy of the RTC's time registers, read with the
// update-in-progress protocol.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/rtc/error.h"
#include "lib/rtc/registers.h"

namespace hiillos::rtc {

// Polls of status A waiting for UIP to clear, per read. An update keeps UIP set for under
// 2 ms (244 us warning + 1984 us update); a port read takes about 1 us, so this is ~30x that.
inline constexpr uint32_t kMaxUpdatePolls = 65536;
// Reads of all the time registers before giving up on two consecutive ones matching.
inline constexpr uint32_t kMaxSnapshots = 8;

// The registers as read, undecoded.
struct RawTime {
  uint8_t second = 0;
  uint8_t minute = 0;
  uint8_t hour = 0;
  uint8_t day = 0;
  uint8_t month = 0;
  uint8_t year = 0;
  uint8_t century = 0;  // meaningful when has_century
  bool has_century = false;
  uint8_t status_b = 0;

  bool operator==(const RawTime&) const = default;
};

// Waits for UIP to clear, reads every time register (and `century_register` unless it is 0),
// and repeats until two consecutive reads are equal; returns that value. Errors:
// kBadCenturyRegister (century_register not 0 and not 0x0E..0x7F), kUpdateStuck, kUnstable.
Result<RawTime, Error> ReadSnapshot(CmosAccessor& cmos, uint8_t century_register);

}  // namespace hiillos::rtc
