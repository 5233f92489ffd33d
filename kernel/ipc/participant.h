// kernel/ipc/participant.h — Participant: the IPC state one thread carries (what it waits for,
// its queue link, the message in flight), and ParticipantQueue, the intrusive FIFO an endpoint
// keeps of waiting callers and of waiting receivers. No allocation on any IPC path.
//
// A participant is in at most one queue at a time; the queue's owner (an Endpoint, under its
// lock in the kernel) is the only one that touches the link.
#pragma once

#include <stdint.h>

#include "kernel/ipc/message.h"
#include "uapi/status.h"

namespace hiillos::ipc {

class Endpoint;
class ReplySlot;
class ParticipantQueue;

enum class IpcState : uint8_t {
  kIdle,           // not in any IPC operation
  kCalling,        // in Call, queued on an endpoint until a receiver takes the message
  kAwaitingReply,  // in Call, the message taken; a ReplySlot points at this participant
  kReceiving,      // in Recv/ReplyRecv, queued on an endpoint until a message arrives
};

[[nodiscard]] constexpr const char* IpcStateName(IpcState state) {
  switch (state) {
    case IpcState::kIdle:
      return "Idle";
    case IpcState::kCalling:
      return "Calling";
    case IpcState::kAwaitingReply:
      return "AwaitingReply";
    case IpcState::kReceiving:
      return "Receiving";
  }
  return "Unknown";
}

struct Participant {
  IpcState state = IpcState::kIdle;

  // Queue link: valid while `queue` is not null (kCalling or kReceiving).
  Participant* prev = nullptr;
  Participant* next = nullptr;
  ParticipantQueue* queue = nullptr;
  Endpoint* endpoint = nullptr;  // the endpoint owning `queue` (the lock to take to cancel)

  // kReceiving: the slot that a taken Call binds to. kAwaitingReply: the slot bound to us.
  ReplySlot* reply = nullptr;

  // Outgoing while kCalling (and the sender's badge); what was delivered once woken or
  // returned from a receive: the message, the sender's badge and whether a reply is expected.
  RegisterMessage message;
  uint64_t badge = 0;
  bool reply_expected = false;

  // The status a blocked participant's syscall returns once it is woken.
  uapi::Status wake_status = uapi::Status::kOk;
};

class ParticipantQueue {
 public:
  constexpr ParticipantQueue() = default;
  ParticipantQueue(const ParticipantQueue&) = delete;
  ParticipantQueue& operator=(const ParticipantQueue&) = delete;

  bool empty() const { return head_ == nullptr; }
  uint64_t size() const { return size_; }
  Participant* front() const { return head_; }

  // Precondition: p->queue == nullptr.
  void PushBack(Participant* p) {
    p->queue = this;
    p->next = nullptr;
    p->prev = tail_;
    if (tail_ != nullptr) {
      tail_->next = p;
    } else {
      head_ = p;
    }
    tail_ = p;
    ++size_;
  }

  // Precondition: p->queue == this.
  void Remove(Participant* p) {
    (p->prev != nullptr ? p->prev->next : head_) = p->next;
    (p->next != nullptr ? p->next->prev : tail_) = p->prev;
    p->prev = p->next = nullptr;
    p->queue = nullptr;
    --size_;
  }

  Participant* PopFront() {
    Participant* p = head_;
    if (p != nullptr) Remove(p);
    return p;
  }

 private:
  Participant* head_ = nullptr;
  Participant* tail_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace hiillos::ipc
