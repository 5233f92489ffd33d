// services/rngd/protocol.h — the rngd protocol (docs/protocols/rng.md): random bytes over IPC
// Call to rngd's endpoint. Header-only; shared by clients, rngd and host tests.
//
// Request: w0 = Op, w1.. = arguments. Reply: w0 = Status (0 = ok), w1.. = results. Register
// words only.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::rngd {

enum Op : uint64_t {
  // w1 = n, 1..kMaxReadBytes -> w1..w5: n random bytes, little-endian from w1's low byte
  // (bytes past n are zero). kNotSeeded before rngd is seeded; kBadLength for n outside 1..40.
  kOpRead = 1,
  // -> w1 = 1 if seeded else 0, w2 = reseeds so far (the first seeding counts),
  //    w3 = Sources bits of what the CPU offers, w4 = estimated bits in the pool.
  kOpStatus = 2,
};

enum Status : uint64_t {
  kOk = 0,
  kUnknownOp = 1,
  kNotSeeded = 2,  // not enough entropy gathered yet: no output at all
  kBadLength = 3,
};

// What the CPU offers (kOpStatus w3).
enum Sources : uint64_t {
  kSourceRdseed = 1 << 0,
  kSourceRdrand = 1 << 1,
  kSourceJitter = 1 << 2,  // TSC timing jitter (always collected; see docs for its credit)
};

inline constexpr size_t kReplyWords = 5;  // w1..w5
inline constexpr size_t kMaxReadBytes = kReplyWords * 8;

inline constexpr const char* StatusName(uint64_t status) {
  switch (status) {
    case kOk:
      return "ok";
    case kUnknownOp:
      return "unknown operation";
    case kNotSeeded:
      return "not seeded";
    case kBadLength:
      return "bad length";
  }
  return "?";
}

}  // namespace hiillos::rngd
