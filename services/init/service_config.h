// services/init/service_config.h — init's configuration (/etc/init.conf in initfs): the services
// it starts, each with its program, arguments, the capabilities it is granted, the services it
// needs started first and its restart policy; parsed into fixed-size tables (no heap), with the
// start order computed from the dependencies.
//
// Format (INI-like, one section per service, in start-preference order):
//
//   # comment
//   [vfsd]
//   exec = initfs:///sbin/vfsd     # required: the program (initfs:// or fs:// path)
//   args = --root-from-cmdline     # optional: words passed to the program
//   needs = rngd timed             # optional: services that must be ready first
//   caps = initfs vm proc          # optional: named capabilities init hands it; a word
//                                  # GIVEN=NAME hands NAME under the name GIVEN
//                                  # (block.vda=virtio-blk; GIVEN may contain '.')
//   args = ${acpi.rsdp}            # (in args) ${KEY}: init's environment entry KEY, filled in
//                                  # when the service starts (services/init/arg_expand.h)
//   caps = vfsd admin=vfsd:0       # NAME:N: a service's Sender with badge N (0..65535) instead
//                                  # of the one ClientBadge picks
//   sessions = per-client          # (in a server's section) shared (default): every client's
//                                  # Sender has badge 1; per-client: each client service its own
//                                  # badge (ClientBadge)
//   restart = on-failure           # never | on-failure (default) | always
//   max_restarts = 5               # restarts before init gives up (default 3)
//   backoff_ms = 100               # first restart delay, doubled each time (default 100)
//   ready = notify                 # started (default): ready once proc started it; notify:
//                                  # ready when it tells proc (proc's Ready), and its
//                                  # dependants start only then
//   ready_timeout_ms = 60000       # (ready = notify) not ready by then: killed and handled
//                                  # as a failure (default 60000)
//   healthy_ms = 10000             # ready for this long: the restart back-off starts over
//                                  # (default 10000)
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "services/init/config_error.h"

namespace hiillos::init {

inline constexpr size_t kMaxServices = 32;
inline constexpr size_t kMaxNameLength = 31;
inline constexpr size_t kMaxExecLength = 255;
inline constexpr size_t kMaxLineLength = 1023;
inline constexpr size_t kMaxArgs = 16;
inline constexpr size_t kMaxArgBytes = 256;  // all args of a service, NUL-separated
inline constexpr size_t kMaxNeeds = 8;
inline constexpr size_t kMaxCaps = 8;
inline constexpr uint32_t kMaxRestartsLimit = 1000;
inline constexpr uint32_t kMaxBackoffMs = 60'000;
inline constexpr uint32_t kMaxReadyTimeoutMs = 600'000;
inline constexpr uint32_t kMaxHealthyMs = 3'600'000;
inline constexpr uint32_t kMaxExplicitBadge = 65535;
// The badge of the Sender every client of a `sessions = shared` service gets.
inline constexpr uint64_t kSharedClientBadge = 1;

enum class RestartPolicy : uint8_t { kNever, kOnFailure, kAlways };
const char* RestartPolicyName(RestartPolicy policy);

struct Name {
  char text[kMaxNameLength + 1] = {};
  size_t length = 0;
};

struct ServiceConfig {
  Name name;
  char exec[kMaxExecLength + 1] = {};
  size_t exec_length = 0;
  // args: `arg_count` NUL-terminated words packed in arg_bytes.
  char arg_bytes[kMaxArgBytes] = {};
  size_t arg_count = 0;
  // caps[i]: the name the program finds the capability under; cap_sources[i]: the one init
  // hands (the same unless the config said `given=source`).
  Name caps[kMaxCaps];
  Name cap_sources[kMaxCaps];
  // cap_badges[i]: the badge asked for with `source:N`, or -1 (none asked).
  int32_t cap_badges[kMaxCaps] = {-1, -1, -1, -1, -1, -1, -1, -1};
  size_t cap_count = 0;
  bool per_client_sessions = false;  // `sessions = per-client`
  Name need_names[kMaxNeeds];
  uint8_t needs[kMaxNeeds] = {};  // need_names resolved: indices into Config::services
  size_t need_count = 0;
  RestartPolicy restart = RestartPolicy::kOnFailure;
  uint32_t max_restarts = 3;
  uint32_t backoff_ms = 100;
  bool ready_notify = false;  // `ready = notify`: waits for the service's Ready (else: started)
  uint32_t ready_timeout_ms = 60'000;
  uint32_t healthy_ms = 10'000;
  uint32_t line = 0;  // where its section starts

  // The i-th argument (i < arg_count), NUL-terminated.
  const char* arg(size_t i) const;
};

struct Config {
  ServiceConfig services[kMaxServices];
  size_t count = 0;
  // A start order: every service after all it needs; among those free to start, file order.
  uint8_t start_order[kMaxServices] = {};

  // Index of the service named name[0, length), or -1.
  int Find(const char* name, size_t length) const;
};

// The badge of the Sender to service `server` that cap `cap` of service `client` gets (that cap
// names `server`): its `:N` when given; for a `sessions = per-client` server, 1 + the number of
// earlier services (file order) holding a cap of `server` without `:N` — distinct per client
// service and the same across restarts of either; otherwise kSharedClientBadge.
uint64_t ClientBadge(const Config& config, size_t client, size_t cap, size_t server);

// Parses text[0, length). Every error names its line (see ConfigProblem).
Result<void, ConfigProblem> ParseConfig(const char* text, size_t length, Config& out);

}  // namespace hiillos::init
