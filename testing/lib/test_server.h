// testing/lib/test_server.h — a guest test program (running as root) starting a server from its
// initfs by hand and ending it: the server gets a Receiver as "endpoint", root's Memory as
// "memory", the log as "log" and the caller's extra capabilities; the test keeps Senders to the
// endpoint and, at the end, closes them and waits for the server to exit by itself with code 0.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/ustar/archive.h"
#include "services/lib/loader.h"
#include "uapi/rights.h"

namespace hiillos::testing_lib {

struct Server {
  rt::Spawned spawned = {};
  uint32_t receiver = 0;  // kept by the test (as a supervisor keeps a service's endpoint) if set
  uint32_t sender = 0;    // our Sender to the endpoint (badge ServerStart::badge)
  uint32_t badged = 0;    // a second Sender (badge ServerStart::client_badge), 0: none
  bool running = false;
};

struct ServerStart {
  const char* test = nullptr;  // the log prefix ("fs_test")
  const ustar::Archive* archive = nullptr;
  const char* path = nullptr;         // "initfs:///sbin/vfsd"
  const char* const* args = nullptr;  // args[0] is the path; none: {path}
  size_t arg_count = 0;
  const char* const* env = nullptr;
  size_t env_count = 0;
  const rt::SpawnCap* caps = nullptr;  // given after "endpoint", "memory" and "log"
  size_t cap_count = 0;                // at most kMaxExtraCaps
  uint64_t pid = 0;
  uapi::Rights endpoint_rights = uapi::Rights::kRead | uapi::Rights::kWrite;
  uapi::Rights log_rights = uapi::Rights::kWrite;
  uint64_t badge = 0;         // of Server::sender
  uint64_t client_badge = 0;  // of Server::badged; 0: no second Sender
  // An endpoint made with NewEndpoint (its Senders are already in the Server): reused, and kept
  // by the test when keep_receiver. 0: a fresh one, which goes to the server.
  uint32_t receiver = 0;
  bool keep_receiver = false;
};

inline constexpr size_t kMaxExtraCaps = 5;

// A fresh Receiver (returned; 0 on failure) and our Senders to it in out->sender (badge `badge`)
// and, when client_badge is non-zero, out->badged.
uint32_t NewEndpoint(uint64_t badge, uint64_t client_badge, Server* out);

// Spawns start.path from the archive. On failure prints "<test>: no <path> in initfs" or
// "<test>: cannot start <path>: <why>", deletes the Receiver unless kept, returns false.
bool StartServer(const ServerStart& start, Server* out);

// Deletes our Senders (the server's own copies stay).
void DropSenders(Server& server);

// Drops our Senders, waits for the server's thread, releases it (and a kept Receiver); prints
// "<test>: <name> exited with code 0" or "<test>: <name> did not exit cleanly". True when clean
// or when the server was not running.
bool StopAndWait(Server& server, const char* test, const char* name);

}  // namespace hiillos::testing_lib
