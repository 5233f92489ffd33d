// kernel/ipc/reply_slot.h — ReplySlot: the one-shot link from a server to the caller whose
// message it took. The server names a slot in each receive (seL4-MCS style), so taking a call
// allocates nothing, and a server may keep a bound slot to answer later while it receives into
// another.
//
// States: empty; bound (a caller in kAwaitingReply points back at it); orphaned (the bound
// caller was killed before the reply; the next Reply reports kDead and empties the slot).
#pragma once

#include "kernel/ipc/participant.h"

namespace hiillos::ipc {

class ReplySlot {
 public:
  constexpr ReplySlot() = default;
  ReplySlot(const ReplySlot&) = delete;
  ReplySlot& operator=(const ReplySlot&) = delete;

  bool bound() const { return caller_ != nullptr; }
  bool orphaned() const { return orphaned_; }
  Participant* caller() const { return caller_; }

 private:
  friend class Endpoint;
  friend class ReplyOps;

  Participant* caller_ = nullptr;
  bool orphaned_ = false;
};

}  // namespace hiillos::ipc
