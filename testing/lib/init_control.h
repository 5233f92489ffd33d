// testing/lib/init_control.h — a guest test program's side of init's control protocol
// (services/init/protocol.h, docs/protocols/init.md) through its "init" Sender: a service's
// state, waiting for a (re)started instance, killing a service, and the shutdown that ends a run
// with the number of failures as root's exit code.
#pragma once

#include <stdint.h>

#include "testing/lib/check_log.h"

namespace hiillos::testing_lib {

// init's Status reply for one service; ok is false when the call or the name failed.
struct ServiceState {
  bool ok = false;
  uint64_t pid = 0;
  uint64_t restarts = 0;
  uint64_t state = 0;  // init::protocol::kState*
  bool ready = false;  // w4: the live instance said Ready
};

ServiceState QueryService(uint32_t init, const char* name);

// Polls init (yielding between calls) until `name` runs under a pid other than `old_pid`, has
// stopped, or cannot be queried; that last state.
ServiceState WaitRunning(uint32_t init, const char* name, uint64_t old_pid);

// Polls init (yielding after each call) until `name` has stopped or cannot be queried.
ServiceState WaitStopped(uint32_t init, const char* name);

// Asks init to kill `name` (init -> proc Kill): true when init answered ok; the pid it killed
// (reply w1) in *killed_pid when not null.
bool KillService(uint32_t init, const char* name, uint64_t* killed_pid);

// Prints the checks' summary and asks init to shut down with their failures as the exit code.
void ReportAndShutdown(uint32_t init, const CheckLog& checks);

}  // namespace hiillos::testing_lib
