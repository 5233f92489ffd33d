// services/timed/protocol.h — the timed protocol (docs/protocols/timed.md): monotonic time,
// wall-clock time and sleeps, over IPC Call to timed's endpoint. Header-only; shared by
// clients, timed and host tests.
//
// Request: w0 = Op, w1.. = arguments. Reply: w0 = Status (0 = ok), w1.. = results. Register
// words only (no extended words, no capabilities).
#pragma once

#include <stdint.h>

namespace hiillos::timed {

enum Op : uint64_t {
  // -> w1 = nanoseconds since boot (the kernel's clock: TSC at the frequency it measured).
  kOpMonotonic = 1,
  // -> w1 = Unix time in nanoseconds (CMOS RTC read once at timed's start, advanced by the
  //    monotonic clock), w2 = the monotonic time it corresponds to.
  //    kNoWallClock when timed could not read the RTC (no I/O ports, or the RTC failed).
  kOpWallClock = 2,
  // w1 = deadline (monotonic ns). The reply comes when the monotonic clock has reached it
  // (at once for a deadline already passed): w1 = the monotonic time at the reply (>= w1 sent).
  // Replies to sleepers go out in deadline order (equal deadlines: in arrival order).
  // kTooManySleepers when kMaxSleepers calls already wait.
  kOpSleepUntil = 3,
  // w1 = duration in ns: SleepUntil(now + w1) (saturating). Same reply.
  kOpSleepFor = 4,
  // -> w1 = how many sleep calls timed holds now (waiting for their deadlines).
  kOpSleepers = 5,
};

enum Status : uint64_t {
  kOk = 0,
  kUnknownOp = 1,        // w0 is not an Op
  kNoWallClock = 2,      // kOpWallClock without a usable RTC reading
  kTooManySleepers = 3,  // kOpSleepUntil/kOpSleepFor with kMaxSleepers already waiting
};

// How many sleep calls timed holds at once (each keeps one Reply object).
inline constexpr uint64_t kMaxSleepers = 64;

// The badge of timed's own timer thread on its endpoint; a spawner must not give clients a
// Sender with this badge.
inline constexpr uint64_t kTimerBadge = ~uint64_t{0};
// The timer thread's message (badge kTimerBadge only): some deadline may have passed.
inline constexpr uint64_t kOpTimerExpired = 0x7100;

inline constexpr const char* StatusName(uint64_t status) {
  switch (status) {
    case kOk:
      return "ok";
    case kUnknownOp:
      return "unknown operation";
    case kNoWallClock:
      return "no wall clock";
    case kTooManySleepers:
      return "too many sleepers";
  }
  return "?";
}

}  // namespace hiillos::timed
