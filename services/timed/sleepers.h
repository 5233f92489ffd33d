// services/timed/sleepers.h — SleeperQueue: the sleep calls timed holds, each a saved Reply
// handle with its deadline, kept in deadline order (ties in arrival order), fixed capacity
// (no heap). Pure logic, host-tested (sleepers_test.cc).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/timed/protocol.h"

namespace hiillos::timed {

struct Sleeper {
  uint64_t deadline_ns = 0;
  uint64_t sequence = 0;  // arrival order
  uint32_t reply = 0;     // the Reply handle holding the call
};

class SleeperQueue {
 public:
  static constexpr size_t kCapacity = kMaxSleepers;

  bool full() const { return count_ == kCapacity; }
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }
  // The earliest deadline; precondition: !empty().
  uint64_t earliest() const { return entries_[0].deadline_ns; }

  // Adds a sleeper after every one with an earlier or equal deadline. False when full.
  bool Insert(uint64_t deadline_ns, uint32_t reply);
  // Removes and returns the earliest sleeper if its deadline is at or before now_ns.
  bool PopDue(uint64_t now_ns, Sleeper* out);

 private:
  Sleeper entries_[kCapacity];
  size_t count_ = 0;
  uint64_t next_sequence_ = 0;
};

}  // namespace hiillos::timed
