// services/fsd_fat32/timed_clock.h — the clock fsd.fat32 stamps entries with when vfsd handed it
// a Sender to timed: Unix time from timed's wall clock (timed::kOpWallClock, the CMOS RTC read at
// timed's start and advanced by the monotonic clock), asked once per timestamp. When the query
// fails (timed has no RTC reading, or is restarting and the call came back Dead) the stamp comes
// from the fallback clock (tsc_clock.h: a fixed epoch plus TSC seconds) and `fell_back()` says so.
// The transport is a function, so host tests drive it without IPC.
#pragma once

#include <stdint.h>

#include "lib/fat32/clock.h"

namespace hiillos::fsd {

class TimedClock final : public fat32::Clock {
 public:
  // Unix time in nanoseconds into *unix_ns; false when timed could not tell.
  using Query = bool (*)(void* context, uint64_t* unix_ns);

  TimedClock(Query query, void* context, fat32::Clock& fallback)
      : query_(query), context_(context), fallback_(fallback) {}

  // Asks timed; the centiseconds of the same answer are kept for NowCentiseconds (lib/fat32
  // reads seconds first, then hundredths, for one stamp).
  uint64_t NowUnixSeconds() override {
    uint64_t ns = 0;
    if (query_(context_, &ns)) {
      from_timed_ = true;
      centis_ = static_cast<uint8_t>(ns % 1'000'000'000 / 10'000'000);
      return ns / 1'000'000'000;
    }
    from_timed_ = false;
    fell_back_ = true;
    return fallback_.NowUnixSeconds();
  }
  uint8_t NowCentiseconds() override { return from_timed_ ? centis_ : fallback_.NowCentiseconds(); }

  // True once some stamp came from the fallback clock.
  bool fell_back() const { return fell_back_; }

 private:
  Query query_;
  void* context_;
  fat32::Clock& fallback_;
  bool from_timed_ = false;
  bool fell_back_ = false;
  uint8_t centis_ = 0;
};

}  // namespace hiillos::fsd
