// kernel/ipc/endpoint.h — Endpoint: the IPC protocol's state machine (Call, Send, Receive, Reply,
// ReplyReceive, closing either end, killing a participant), free of locks, scheduling and
// allocation so that it is host-tested and model-checked (endpoint.pml stands for it).
//
// Each operation is one step under the endpoint's lock in the kernel. A step never fails half
// way: it either returns an error and changes nothing, or completes, and it tells the kernel
// what to do with threads (`Step`): whether the calling thread now sleeps, and which one
// participant to wake. A Call that finds a receiver waiting both sleeps and wakes it: that is
// the direct switch of the fast path.
//
// Who may block: a Receiver capability's holder in Receive/ReplyReceive, a Sender capability's
// holder in Call. Send never blocks. Waking a participant sets its `wake_status` (what its
// syscall returns) and, for a delivered message, its `message`, `badge` and `reply_expected`.
//
// Closing: when the Receiver goes, every queued caller and receiver is stranded; when the last
// Sender goes (after at least one existed), waiting receivers are. The kernel drains them with
// TakeStranded() one at a time, so closing an endpoint with many waiters is a bounded step each.
#pragma once

#include <stdint.h>

#include "kernel/ipc/message.h"
#include "kernel/ipc/participant.h"
#include "kernel/ipc/reply_slot.h"
#include "uapi/status.h"

namespace hiillos::ipc {

// What the kernel does after a step.
struct [[nodiscard]] Step {
  // The calling thread's result, when it does not block (when it blocks, its participant's
  // wake_status is set by whoever wakes it).
  uapi::Status status = uapi::Status::kOk;
  // The calling thread sleeps: its participant is queued on an endpoint or bound to a slot.
  bool block = false;
  // A participant made ready by this step (its wake_status and message are set), or null.
  Participant* wake = nullptr;
};

class Endpoint {
 public:
  constexpr Endpoint() = default;
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  // --- the two ends --------------------------------------------------------------------------
  // A Sender capability was created / deleted. Dropping the last one strands waiting receivers.
  void AddSender();
  void DropSender();
  // The Receiver capability was deleted: every waiter is stranded, later calls fail with kDead.
  void CloseReceiver();
  // One participant whose wait can no longer complete, made idle with wake_status kDead and
  // removed from its queue; null when none is left. The kernel wakes each one it returns.
  Participant* TakeStranded();

  // --- operations ------------------------------------------------------------------------------
  // Call: deliver `message` with `badge` to a waiting receiver (bind its slot to `caller`, wake
  // it, block the caller awaiting the reply), or queue the caller until a receiver comes.
  // Errors: kDead (the receiver is closed). Precondition: caller idle.
  Step Call(Participant& caller, uint64_t badge, const RegisterMessage& message);

  // Send: deliver to a waiting receiver without expecting a reply.
  // Errors: kDead (receiver closed), kWouldBlock (no receiver waiting).
  Step Send(uint64_t badge, const RegisterMessage& message);

  // Receive into `receiver`, binding `slot` if the message is a call: takes the oldest queued
  // caller at once (status kOk, no block) or queues the receiver.
  // Errors: kDead (receiver closed, or no sender left and no call queued), kBusy (`slot` still
  // holds an unanswered call). An orphaned slot is emptied when the receive succeeds or sleeps
  // (a failed receive changes nothing). Precondition: receiver idle.
  Step Receive(Participant& receiver, ReplySlot& slot);

  // Removes a queued participant (kCalling or kReceiving on this endpoint) when its thread is
  // killed; it becomes idle. Precondition: p.endpoint == this.
  void Cancel(Participant& p);

  bool receiver_closed() const { return receiver_closed_; }
  uint64_t sender_count() const { return sender_count_; }
  uint64_t queued_callers() const { return callers_.size(); }
  uint64_t queued_receivers() const { return receivers_.size(); }
  // The participant the next Call/Send would deliver to, and the call the next Receive would
  // take (null when none): the kernel transfers a message's capabilities to (from) it before
  // the step, so that a failed transfer changes nothing.
  Participant* next_receiver() const { return receiver_closed_ ? nullptr : receivers_.front(); }
  Participant* next_caller() const { return receiver_closed_ ? nullptr : callers_.front(); }
  // The last Sender is gone (after one existed): a Receive with no call queued fails kDead.
  bool senders_gone() const { return sender_count_ == 0 && had_sender_; }

 private:
  ParticipantQueue callers_;    // kCalling participants, oldest first
  ParticipantQueue receivers_;  // kReceiving participants, oldest first
  uint64_t sender_count_ = 0;
  bool had_sender_ = false;
  bool receiver_closed_ = false;
};

// Reply through `slot` with `message`: wakes the bound caller with kOk and empties the slot.
// Errors: kDead (the caller was killed; the slot is emptied), kBusy (the slot holds no call).
Step Reply(ReplySlot& slot, const RegisterMessage& message);

// The server loop: reply through `slot` if it holds a call (a killed caller is not an error
// here), then Receive on `endpoint` into `receiver` with the same slot. The step wakes the
// replied caller; when the receive blocks, the kernel switches straight to that caller. The
// status is the receive's: the reply stands even when the receive then fails.
Step ReplyReceive(ReplySlot& slot, const RegisterMessage& message, Endpoint& endpoint,
                  Participant& receiver);

// The slot's capability is gone: a bound caller is returned idle with wake_status kDead (the
// kernel wakes it), an orphaned slot is emptied. Returns null when nobody was waiting.
Participant* ReleaseSlot(ReplySlot& slot);

// A participant's thread is killed while awaiting a reply: its slot becomes orphaned and it
// becomes idle. (Queued participants go through their endpoint's Cancel instead.)
void AbandonReply(Participant& p);

}  // namespace hiillos::ipc
