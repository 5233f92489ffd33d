// services/fsd_fat32/tsc_clock.h — the clock fsd.fat32 stamps entries with until the timed
// server exists: a fixed epoch plus the seconds the TSC counted since the driver started, at a
// TSC frequency vfsd passes in ("tsc_hz=" in the environment; 1 GHz when absent). Deliberately
// simple and documented as such (docs/protocols/vfs.md): timestamps are monotonic, not true.
#pragma once

#include <stdint.h>

#include "lib/fat32/clock.h"

namespace hiillos::fsd {

// 2026-01-01 00:00:00 UTC.
inline constexpr uint64_t kFixedEpochSeconds = 1767225600;

class TscClock final : public fat32::Clock {
 public:
  // `read_tsc` returns the counter (rdtsc in the guest, a fake in host tests).
  TscClock(uint64_t (*read_tsc)(), uint64_t tsc_hz)
      : read_tsc_(read_tsc), hz_(tsc_hz == 0 ? 1'000'000'000 : tsc_hz), start_(read_tsc()) {}

  uint64_t NowUnixSeconds() override { return kFixedEpochSeconds + (read_tsc_() - start_) / hz_; }
  uint8_t NowCentiseconds() override {
    return static_cast<uint8_t>(((read_tsc_() - start_) % hz_) * 100 / hz_);
  }

 private:
  uint64_t (*read_tsc_)();
  uint64_t hz_;
  uint64_t start_;
};

}  // namespace hiillos::fsd
