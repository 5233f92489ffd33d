// kernel/ipc/endpoint.cc — the IPC state machine's steps (see endpoint.h).
#include "kernel/ipc/endpoint.h"

namespace hiillos::ipc {
namespace {

using uapi::Status;

// Hands `message` from a sender to `receiver`, which becomes idle with kOk.
void Deliver(Participant& receiver, uint64_t badge, const RegisterMessage& message,
             bool reply_expected) {
  receiver.state = IpcState::kIdle;
  receiver.message = message;
  receiver.badge = badge;
  receiver.reply_expected = reply_expected;
  receiver.wake_status = Status::kOk;
}

}  // namespace

// Bridges the slot's private state for the free functions below.
class ReplyOps {
 public:
  // An orphaned slot is bindable: its killed caller's reply is moot (Bind and Queue clear it).
  static bool Bindable(const ReplySlot& slot) { return slot.caller_ == nullptr; }
  static void ClearOrphan(ReplySlot& slot) { slot.orphaned_ = false; }
  static void Bind(ReplySlot& slot, Participant& caller) {
    slot.caller_ = &caller;
    slot.orphaned_ = false;
    caller.state = IpcState::kAwaitingReply;
    caller.reply = &slot;
  }
  static void Unbind(ReplySlot& slot, Participant& caller) {
    slot.caller_ = nullptr;
    caller.reply = nullptr;
    caller.state = IpcState::kIdle;
  }
  static Participant* Caller(ReplySlot& slot) { return slot.caller_; }
  static bool TakeOrphan(ReplySlot& slot) {
    const bool was = slot.orphaned_;
    slot.orphaned_ = false;
    return was;
  }
  static void Orphan(ReplySlot& slot) {
    slot.caller_ = nullptr;
    slot.orphaned_ = true;
  }
};

void Endpoint::AddSender() {
  ++sender_count_;
  had_sender_ = true;
}

void Endpoint::DropSender() {
  if (sender_count_ > 0) --sender_count_;
}

void Endpoint::CloseReceiver() {
  receiver_closed_ = true;
}

Participant* Endpoint::TakeStranded() {
  Participant* p = nullptr;
  if (receiver_closed_) p = callers_.PopFront();
  if (p == nullptr && (receiver_closed_ || senders_gone())) p = receivers_.PopFront();
  if (p == nullptr) return nullptr;
  p->endpoint = nullptr;
  p->reply = nullptr;
  p->state = IpcState::kIdle;
  p->wake_status = Status::kDead;
  return p;
}

Step Endpoint::Call(Participant& caller, uint64_t badge, const RegisterMessage& message) {
  if (receiver_closed_) return Step{.status = Status::kDead};
  if (Participant* receiver = receivers_.PopFront()) {
    ReplySlot& slot = *receiver->reply;
    receiver->endpoint = nullptr;
    receiver->reply = nullptr;
    Deliver(*receiver, badge, message, /*reply_expected=*/true);
    ReplyOps::Bind(slot, caller);
    return Step{.block = true, .wake = receiver};
  }
  caller.state = IpcState::kCalling;
  caller.message = message;
  caller.badge = badge;
  caller.endpoint = this;
  callers_.PushBack(&caller);
  return Step{.block = true};
}

Step Endpoint::Send(uint64_t badge, const RegisterMessage& message) {
  if (receiver_closed_) return Step{.status = Status::kDead};
  Participant* receiver = receivers_.PopFront();
  if (receiver == nullptr) return Step{.status = Status::kWouldBlock};
  receiver->endpoint = nullptr;
  receiver->reply = nullptr;
  Deliver(*receiver, badge, message, /*reply_expected=*/false);
  return Step{.wake = receiver};
}

Step Endpoint::Receive(Participant& receiver, ReplySlot& slot) {
  if (receiver_closed_) return Step{.status = Status::kDead};
  if (!ReplyOps::Bindable(slot)) return Step{.status = Status::kBusy};
  if (Participant* caller = callers_.PopFront()) {
    caller->endpoint = nullptr;
    Deliver(receiver, caller->badge, caller->message, /*reply_expected=*/true);
    ReplyOps::Bind(slot, *caller);
    return Step{};
  }
  if (senders_gone()) return Step{.status = Status::kDead};
  ReplyOps::ClearOrphan(slot);
  receiver.state = IpcState::kReceiving;
  receiver.reply = &slot;
  receiver.endpoint = this;
  receivers_.PushBack(&receiver);
  return Step{.block = true};
}

void Endpoint::Cancel(Participant& p) {
  if (p.queue != nullptr) p.queue->Remove(&p);
  p.endpoint = nullptr;
  p.reply = nullptr;
  p.state = IpcState::kIdle;
}

Step Reply(ReplySlot& slot, const RegisterMessage& message) {
  Participant* caller = ReplyOps::Caller(slot);
  if (caller == nullptr) {
    return Step{.status = ReplyOps::TakeOrphan(slot) ? Status::kDead : Status::kBusy};
  }
  ReplyOps::Unbind(slot, *caller);
  caller->message = message;
  caller->badge = 0;
  caller->reply_expected = false;
  caller->wake_status = Status::kOk;
  return Step{.wake = caller};
}

// Two steps under the kernel's locks: the reply stands even when the receive then fails.
Step ReplyReceive(ReplySlot& slot, const RegisterMessage& message, Endpoint& endpoint,
                  Participant& receiver) {
  Participant* replied = nullptr;
  if (ReplyOps::Caller(slot) != nullptr) replied = Reply(slot, message).wake;
  Step step = endpoint.Receive(receiver, slot);
  step.wake = replied;
  return step;
}

Participant* ReleaseSlot(ReplySlot& slot) {
  ReplyOps::TakeOrphan(slot);
  Participant* caller = ReplyOps::Caller(slot);
  if (caller == nullptr) return nullptr;
  ReplyOps::Unbind(slot, *caller);
  caller->wake_status = Status::kDead;
  return caller;
}

void AbandonReply(Participant& p) {
  if (p.state != IpcState::kAwaitingReply || p.reply == nullptr) return;
  ReplyOps::Orphan(*p.reply);
  p.reply = nullptr;
  p.state = IpcState::kIdle;
}

}  // namespace hiillos::ipc
