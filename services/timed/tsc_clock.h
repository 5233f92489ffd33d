// services/timed/tsc_clock.h — TscClock: the kernel's clock reproduced in user space from one
// SystemClock reading (uapi::ClockInfo): nanoseconds at a TSC value and the TSC value at a
// nanosecond time, overflow-safe (lib/time MulDiv). Host-tested (sleepers_test.cc).
#pragma once

#include <stdint.h>

#include "lib/time/time_math.h"

namespace hiillos::timed {

class TscClock {
 public:
  constexpr TscClock() = default;
  constexpr TscClock(uint64_t tsc_hz, uint64_t tsc, uint64_t ns)
      : tsc_hz_(tsc_hz), tsc_(tsc), ns_(ns) {}

  uint64_t tsc_hz() const { return tsc_hz_; }
  // Nanoseconds since boot at `tsc` (a TSC before the reading counts as the reading).
  uint64_t NsAt(uint64_t tsc) const {
    if (tsc <= tsc_ || tsc_hz_ == 0) return ns_;
    return ns_ + time::MulDiv(tsc - tsc_, time::kNanosecondsPerSecond, tsc_hz_);
  }
  // The first TSC value at which NsAt() >= ns (saturating at UINT64_MAX).
  uint64_t TscAt(uint64_t ns) const {
    if (ns <= ns_) return tsc_;
    uint64_t delta = time::MulDiv(ns - ns_, tsc_hz_, time::kNanosecondsPerSecond);
    uint64_t tsc = tsc_ + delta;
    if (tsc < tsc_ || delta == ~uint64_t{0}) return ~uint64_t{0};
    // MulDiv truncates; one more tick is the rounded-up quotient, which always reaches ns.
    if (NsAt(tsc) < ns && tsc != ~uint64_t{0}) ++tsc;
    return tsc;
  }

 private:
  uint64_t tsc_hz_ = 0;
  uint64_t tsc_ = 0;
  uint64_t ns_ = 0;
};

}  // namespace hiillos::timed
