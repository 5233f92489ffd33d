// services/init/child_watch.h — ChildWatcher: turns "proc says child `pid` ended" into a message
// on init's own endpoint, so init's single receive loop learns of every service's end while it
// also answers control requests.
//
// proc answers a Wait only when the child ends, and a Call blocks its thread, so each watch is
// a helper Process sharing init's address space (its own Vmem handle) with one thread and two
// capabilities: a copy of init's Sender to proc (badge: init's pid, so proc lets it wait for
// init's children) and the notice Sender to init's endpoint. For a `ready = notify` service the
// thread first Calls proc WaitReady(pid) and, when the child said Ready, Calls init with a
// ChildReady notice. Then it Calls proc Wait(pid), Calls init with a ChildEnded notice and
// exits; its process dies with its capabilities.
// init answers the notice and calls Done(slot); the slot's objects go when it is reused.
// Everything is charged to `memory`; at most kMaxChildWatches at a time.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::init {

inline constexpr size_t kMaxChildWatches = 40;
// The badge of init's notice Sender (no client gets it).
inline constexpr uint64_t kNoticeBadge = 0xffff'ffff'ffff'ffe1ull;

// The notice: w0 = kChildEnded, w1 = pid, w2 = proc state (kExited / kKilled) or kWaitFailed,
// w3 = exit code (or the Wait's failure status), w4 = slot.
inline constexpr uint64_t kChildEnded = 0xe1;
inline constexpr uint64_t kWaitFailed = ~uint64_t{0};
// The ready notice (before the end notice of the same child): w0 = kChildReady, w1 = pid.
inline constexpr uint64_t kChildReady = 0xe2;

class ChildWatcher {
 public:
  ChildWatcher(uint32_t memory, uint32_t own_vmem, uint32_t proc, uint32_t notice_sender)
      : memory_(memory), own_vmem_(own_vmem), proc_(proc), sender_(notice_sender) {}
  ChildWatcher(const ChildWatcher&) = delete;
  ChildWatcher& operator=(const ChildWatcher&) = delete;

  // Starts a helper that waits for `pid` through proc (first for its Ready when `ready_notice`).
  // Errors: kNoSlots, else the failing syscall's status (nothing is left behind).
  Result<void, uapi::Status> Watch(uint64_t pid, bool ready_notice);
  // The notice of `slot` has been handled: the slot may be reused.
  void Done(uint64_t slot);

 private:
  enum class State : uint8_t { kFree, kWatching, kDone };
  struct Slot {
    State state = State::kFree;
    uint32_t process = 0;
    uint32_t thread = 0;
  };
  void Reclaim(Slot& slot);

  uint32_t memory_;
  uint32_t own_vmem_;
  uint32_t proc_;
  uint32_t sender_;
  Slot slots_[kMaxChildWatches];
};

}  // namespace hiillos::init
