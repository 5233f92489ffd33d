// testing/conformance/notify_child.h — children that wait on a Notify (cases_notify.cc,
// cases_deadline.cc): one spawned with the Notify given to it, and the check that a ThreadStop
// interrupts such a child's wait (NotifyWait and NotifyWaitUntil alike).
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "testing/conformance/child.h"
#include "uapi/rights.h"

namespace hiillos::conformance {

// A shared-address-space child, not started, running fn(its handle to `notify`, with `rights`).
Result<Child, uapi::Status> SpawnWithNotify(ChildFunction fn, Handle notify,
                                            uapi::Rights rights = uapi::Rights::kRead);

// Spawns `waiter` on a fresh Notify and starts it; once it sets `ready`, stops it and starts it
// again (a few yields around each stop) until it has counted an interrupted wait in
// `interrupted`; then signals `bits`, with which the child must exit. `waiter` loops on its wait
// until it gets bits, adding 1 to `interrupted` for each wait a stop ended.
void ExpectStopInterruptsWait(ChildFunction waiter, volatile uint64_t& ready,
                              volatile uint64_t& interrupted, uint64_t bits);

}  // namespace hiillos::conformance
