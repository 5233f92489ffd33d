// services/lib/ring_notify.h — RingWakeOps over kernel Notify objects: signal the peer's Notify
// (NotifySignal, kWrite), wait on one's own (NotifyWait, kRead). A wait that returns no bits
// (a ThreadStop interrupted it) counts as a spurious wake-up: the ring loop simply retries.
#pragma once

#include "services/lib/ring_stream.h"
#include "services/lib/syscalls.h"

namespace hiillos::rt {

struct RingNotifies {
  Handle peer;           // the other end's Notify (needs kWrite)
  Handle own;            // this end's Notify (needs kRead)
  uint64_t signals = 0;  // statistics: NotifySignal and NotifyWait calls made
  uint64_t waits = 0;
};

inline RingWakeOps NotifyWakeOps(RingNotifies* notifies) {
  RingWakeOps ops;
  ops.context = notifies;
  ops.signal_peer = [](void* context) {
    auto* notifies = static_cast<RingNotifies*>(context);
    ++notifies->signals;
    return NotifySignal(notifies->peer, 1).ok();
  };
  ops.wait_own = [](void* context) {
    auto* notifies = static_cast<RingNotifies*>(context);
    ++notifies->waits;
    return NotifyWait(notifies->own).ok();
  };
  return ops;
}

}  // namespace hiillos::rt
