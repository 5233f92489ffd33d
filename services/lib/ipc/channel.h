// services/lib/ipc/channel.h — typed IPC over the kernel's calls (user programs): a client's
// Call of one operation, a server's receive-dispatch-reply loop, and answering a deferred
// request. Messages with extended words or capabilities go through the calling thread's IPC
// buffer (SetBuffer; spawned programs get one from the loader, process_layout.h).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "services/lib/ipc/dispatcher.h"
#include "services/lib/ipc/message.h"
#include "uapi/ipc.h"
#include "uapi/status.h"

namespace hiillos::ipc {

// The calling thread's IPC buffer (registered with ThreadSetIpcBuffer by whoever made it), or
// nullptr: then only register-only messages can be sent or received.
void SetBuffer(uapi::IpcBuffer* buffer);
uapi::IpcBuffer* Buffer();

// The raw exchanges, whole messages both ways (the extended part through the buffer).
// Errors: the syscall's uapi::Status; kBadAddress when a message needs the buffer and there is
// none.
Result<Message, uapi::Status> CallMessage(uint32_t sender, const Message& out);
Result<void, uapi::Status> SendMessage(uint32_t sender, const Message& out);
Result<void, uapi::Status> ReplyMessage(uint32_t reply, const Message& out);
// Recv (when `answer` is null) or ReplyRecv(answer).
Result<Message, uapi::Status> ReceiveMessage(uint32_t receiver, uint32_t reply,
                                             const Message* answer);

void DeleteReply(uint32_t reply);
// Deletes the capabilities of a request its handler did not claim.
void DeleteUnclaimed(const Request& request);
Result<uint32_t, uapi::Status> NewReply(uint32_t memory);

// A client's call of operation Op. The error is the server's reply status, or the syscall's
// uapi::Status when the call itself failed (both are uapi::Status numbers in this project's
// protocols unless a protocol documents its own). `received` (optional) gets the whole reply,
// for the capabilities it carries.
template <Operation Op>
Result<typename Op::Reply, uint64_t> Call(uint32_t sender, const typename Op::Request& request,
                                          const uapi::IpcCap* caps = nullptr, size_t cap_count = 0,
                                          Message* received = nullptr) {
  Message out;
  Encode(Op::kCode, request, out);
  for (size_t i = 0; i < cap_count && i < uapi::kIpcMaxCaps; ++i) out.caps[i] = caps[i];
  out.cap_count = cap_count;
  auto in = CallMessage(sender, out);
  if (!in.ok()) return Err(static_cast<uint64_t>(in.error()));
  if (received != nullptr) *received = in.value();
  if (in.value().words[0] != kOk) return Err(in.value().words[0]);
  typename Op::Reply reply{};
  Decode(in.value(), reply);
  return reply;
}

// Answers a deferred request (Request::Defer) with a status and, when it is kOk, `payload`;
// deletes the Reply capability either way.
template <Payload T>
Result<void, uapi::Status> Answer(uint32_t reply, uint64_t status, const T& payload) {
  Message out;
  if (status == kOk) Encode(kOk, payload, out);
  out.words[0] = status;
  auto sent = ReplyMessage(reply, out);
  DeleteReply(reply);
  return sent;
}
// The server loop: receives on `receiver` into `reply`, dispatches, answers, forever. A deferred
// request gets a new Reply capability from `memory` for the next receive. Returns only when the
// receiver is dead or no Reply can be made (the status says which), or kOk after a handler
// called Request::StopServing (its answer sent first).
template <typename Context, size_t kRoutes>
uapi::Status Serve(uint32_t receiver, uint32_t reply, uint32_t memory,
                   const Dispatcher<Context, kRoutes>& dispatcher, Context& context) {
  Message answer;
  bool have_answer = false;
  for (;;) {
    auto in = ReceiveMessage(receiver, reply, have_answer ? &answer : nullptr);
    have_answer = false;
    if (!in.ok()) {
      if (in.error() == uapi::Status::kBadAddress) continue;  // oversized for our buffer
      return in.error();
    }
    Request request;
    Dispatcher<Context, kRoutes>::FillRequest(in.value(), reply, request);
    Outcome outcome = dispatcher.Dispatch(context, in.value(), request, answer);
    DeleteUnclaimed(request);
    if (request.stop) {
      if (outcome == Outcome::kReply) (void)ReplyMessage(reply, answer);
      return uapi::Status::kOk;
    }
    if (outcome == Outcome::kReply) {
      have_answer = true;
    } else if (outcome == Outcome::kDeferred) {
      auto fresh = NewReply(memory);
      if (!fresh.ok()) return fresh.error();
      reply = fresh.value();
    }
  }
}
}  // namespace hiillos::ipc
