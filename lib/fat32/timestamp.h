// lib/fat32/timestamp.h — FAT date/time fields <-> seconds since the Unix epoch (UTC).
#pragma once

#include <stdint.h>

namespace hiillos::fat32 {

// A FAT date (bits 15-9 year - 1980, 8-5 month, 4-0 day) and time (15-11 hour, 10-5 minute,
// 4-0 seconds / 2), plus the creation-time hundredths (0..199).
struct FatTimestamp {
  uint16_t date;
  uint16_t time;
  uint8_t centiseconds;
};

// Clamped to FAT's range, 1980-01-01 00:00:00 .. 2107-12-31 23:59:58.
FatTimestamp ToFatTimestamp(uint64_t unix_seconds, uint8_t centiseconds);
// Seconds since 1970 of a FAT date and time (out-of-range fields are clamped, never trusted).
uint64_t FromFatTimestamp(uint16_t date, uint16_t time);

}  // namespace hiillos::fat32
