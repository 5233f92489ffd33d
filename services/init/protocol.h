// services/init/protocol.h — the init control protocol (docs/protocols/init.md): what a program
// holding the "init" capability (a Sender to init's own endpoint) may ask of the service
// manager: a service's state, killing a service (init restarts it under its policy) and
// shutting the services down. Header-only; shared by init, its clients and host tests.
//
// Request: w0 = Op, w1..w4 = the service's name (NUL-padded, at most kMaxNameBytes - 1 bytes)
// or the op's argument. Reply: w0 = Status (0 = ok), w1.. = results. Register words only.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::init::protocol {

inline constexpr size_t kMaxNameBytes = 32;  // w1..w4

enum Op : uint64_t {
  // name -> w1 = its current pid (0 when not running), w2 = restarts so far, w3 = State,
  // w4 = 1 when the live instance is ready (`ready = started`: from its start; `ready =
  // notify`: once it said Ready to proc), else 0.
  kOpStatus = 1,
  // name -> w1 = the pid init asked proc to kill. init then handles its end like any other:
  // logged, restarted under the service's policy. kNotRunning when it has no live process.
  kOpKill = 2,
  // w1 = exit code: init stops restarting, kills every running service and, once all have
  // ended, exits with that code. Answered at once.
  kOpShutdown = 3,
};

enum State : uint64_t {
  kStateDown = 0,     // not started (waiting for its needs, or skipped) or waiting for its restart
  kStateRunning = 1,  // a live process
  kStateStopped = 2,  // ended and not restarted (policy, clean exit, retries used up, shutdown)
};

enum Status : uint64_t {
  kOk = 0,
  kUnknownOp = 1,
  kNoSuchService = 2,
  kNotRunning = 3,
  kProcRefused = 4,  // proc refused the kill: w1 = proc's status
};

// The badge of the Sender init hands to programs that list "init" in their caps.
inline constexpr uint64_t kControlBadge = 2;
// The badge of Senders init hands to a service's clients (capability named after the service)
// when the service is `sessions = shared` (the default); per-client badges and `NAME:N`:
// init::ClientBadge (services/init/service_config.h).
inline constexpr uint64_t kClientBadge = 1;

// Packs a NUL-terminated name into w[0..3] (false when too long).
inline bool PackName(const char* name, uint64_t* words) {
  char bytes[kMaxNameBytes] = {};
  size_t n = 0;
  while (name[n] != '\0') {
    if (n == kMaxNameBytes - 1) return false;
    bytes[n] = name[n];
    ++n;
  }
  for (size_t i = 0; i < kMaxNameBytes / 8; ++i) {
    uint64_t w = 0;
    for (size_t b = 0; b < 8; ++b)
      w |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i * 8 + b])) << (8 * b);
    words[i] = w;
  }
  return true;
}

// Unpacks w[0..3] into out[kMaxNameBytes] (always NUL-terminated).
inline void UnpackName(const uint64_t* words, char* out) {
  for (size_t i = 0; i < kMaxNameBytes / 8; ++i) {
    for (size_t b = 0; b < 8; ++b) out[i * 8 + b] = static_cast<char>((words[i] >> (8 * b)) & 0xff);
  }
  out[kMaxNameBytes - 1] = '\0';
}

}  // namespace hiillos::init::protocol
