// services/lib/ring_notify.h — RingWakeOps over kernel Notify objects: signal the peer's Notify
// (NotifySignal, kWrite), wait on one's own (NotifyWait, kRead). A wait that returns no bits
// (a ThreadStop interrupted it) counts as a spurious wake-up: the ring loop simply retries.
#pragma once

#include "services/lib/ring_stream.h"
#include "services/lib/syscalls.h"

namespace hiillos::rt {

struct RingNotifies {
  Handle peer;  // the other end's Notify (needs kWrite)
  Handle own;   // this end's Notify (needs kRead)
};

inline RingWakeOps NotifyWakeOps(RingNotifies* notifies) {
  RingWakeOps ops;
  ops.context = notifies;
  ops.signal_peer = [](void* context) {
    return NotifySignal(static_cast<RingNotifies*>(context)->peer, 1).ok();
  };
  ops.wait_own = [](void* context) {
    return NotifyWait(static_cast<RingNotifies*>(context)->own).ok();
  };
  return ops;
}

}  // namespace hiillos::rt
