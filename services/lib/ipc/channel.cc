// services/lib/ipc/channel.cc — the syscall side of typed IPC: moving a Message between its
// value form and the registers plus the thread's IPC buffer.
#include "services/lib/ipc/channel.h"

#include "services/lib/syscalls.h"

namespace hiillos::ipc {
namespace {

uapi::IpcBuffer* g_buffer = nullptr;

// The register part of `out`, its extended part and caps copied into the buffer.
Result<uapi::IpcMessage, uapi::Status> Outgoing(const Message& out) {
  uapi::IpcMessage message;
  message.info = out.info();
  for (size_t i = 0; i < uapi::kIpcRegisterWords; ++i) message.words[i] = out.words[i];
  if (out.ext_count == 0 && out.cap_count == 0) return message;
  if (g_buffer == nullptr || out.ext_count > uapi::kIpcExtendedWords ||
      out.cap_count > uapi::kIpcMaxCaps) {
    return Err(uapi::Status::kBadAddress);
  }
  for (size_t i = 0; i < out.ext_count; ++i) g_buffer->words[i] = out.ext[i];
  for (size_t i = 0; i < out.cap_count; ++i) g_buffer->caps[i] = out.caps[i];
  return message;
}

Message Incoming(const uapi::IpcMessage& message) {
  Message in;
  in.badge = message.badge;
  in.reply_expected = (message.info & uapi::IpcInfo::kReplyExpected) != 0;
  for (size_t i = 0; i < uapi::kIpcRegisterWords; ++i) in.words[i] = message.words[i];
  if (g_buffer != nullptr) {
    in.ext_count = uapi::IpcInfo::Words(message.info);
    in.cap_count = uapi::IpcInfo::Caps(message.info);
    if (in.ext_count > uapi::kIpcExtendedWords) in.ext_count = uapi::kIpcExtendedWords;
    if (in.cap_count > uapi::kIpcMaxCaps) in.cap_count = uapi::kIpcMaxCaps;
    for (size_t i = 0; i < in.ext_count; ++i) in.ext[i] = g_buffer->words[i];
    for (size_t i = 0; i < in.cap_count; ++i) in.caps[i] = g_buffer->caps[i];
  }
  return in;
}

}  // namespace

void SetBuffer(uapi::IpcBuffer* buffer) {
  g_buffer = buffer;
}
uapi::IpcBuffer* Buffer() {
  return g_buffer;
}

Result<Message, uapi::Status> CallMessage(uint32_t sender, const Message& out) {
  auto message = Outgoing(out);
  if (!message.ok()) return Err(message.error());
  auto in = rt::Call(sender, message.value());
  if (!in.ok()) return Err(in.error());
  return Incoming(in.value());
}

Result<void, uapi::Status> SendMessage(uint32_t sender, const Message& out) {
  auto message = Outgoing(out);
  if (!message.ok()) return Err(message.error());
  auto sent = rt::Send(sender, message.value());
  if (!sent.ok()) return Err(sent.error());
  return Ok<uapi::Status>();
}

Result<void, uapi::Status> ReplyMessage(uint32_t reply, const Message& out) {
  auto message = Outgoing(out);
  if (!message.ok()) return Err(message.error());
  auto sent = rt::Reply(reply, message.value());
  if (!sent.ok()) return Err(sent.error());
  return Ok<uapi::Status>();
}

Result<Message, uapi::Status> ReceiveMessage(uint32_t receiver, uint32_t reply,
                                             const Message* answer) {
  uapi::IpcMessage message;
  if (answer != nullptr) {
    auto outgoing = Outgoing(*answer);
    // An answer that cannot be sent becomes a bare error status.
    if (!outgoing.ok()) {
      message = uapi::IpcMessage{};
      message.words[0] = static_cast<uint64_t>(outgoing.error());
    } else {
      message = outgoing.value();
    }
    auto in = rt::ReplyRecv(receiver, reply, message);
    if (!in.ok()) return Err(in.error());
    return Incoming(in.value());
  }
  auto in = rt::Recv(receiver, reply, message);
  if (!in.ok()) return Err(in.error());
  return Incoming(in.value());
}

void DeleteReply(uint32_t reply) {
  if (reply != 0) (void)rt::CapDelete(reply);
}

void DeleteUnclaimed(const Request& request) {
  for (size_t i = 0; i < request.cap_count; ++i) {
    if (request.caps[i].handle != 0) (void)rt::CapDelete(request.caps[i].handle);
  }
}

Result<uint32_t, uapi::Status> NewReply(uint32_t memory) {
  auto reply = rt::MemoryAllocReply(memory);
  if (!reply.ok()) return Err(reply.error());
  return reply.value();
}

}  // namespace hiillos::ipc
