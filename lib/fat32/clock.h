// lib/fat32/clock.h — the injected wall clock lib/fat32 stamps entries with (timed in the OS).
#pragma once

#include <stdint.h>

namespace hiillos::fat32 {

class Clock {
 public:
  // Seconds and hundredths since 1970-01-01 00:00:00 UTC. FAT stores local time without a zone;
  // hiillos stores UTC.
  virtual uint64_t NowUnixSeconds() = 0;
  virtual uint8_t NowCentiseconds() { return 0; }

 protected:
  ~Clock() = default;
};

}  // namespace hiillos::fat32
