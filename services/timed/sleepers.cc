// services/timed/sleepers.cc — SleeperQueue (sleepers.h).
#include "services/timed/sleepers.h"

namespace hiillos::timed {

bool SleeperQueue::Insert(uint64_t deadline_ns, uint32_t reply) {
  if (full()) return false;
  size_t at = count_;
  while (at > 0 && entries_[at - 1].deadline_ns > deadline_ns) {
    entries_[at] = entries_[at - 1];
    --at;
  }
  entries_[at] = Sleeper{deadline_ns, next_sequence_++, reply};
  ++count_;
  return true;
}

bool SleeperQueue::PopDue(uint64_t now_ns, Sleeper* out) {
  if (empty() || entries_[0].deadline_ns > now_ns) return false;
  *out = entries_[0];
  for (size_t i = 1; i < count_; ++i) entries_[i - 1] = entries_[i];
  --count_;
  return true;
}

}  // namespace hiillos::timed
