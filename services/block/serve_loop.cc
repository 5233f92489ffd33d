// services/block/serve_loop.cc — ServeBlockRequests: the block driver's receive/answer loop.
#include "services/block/serve_loop.h"

#include "services/lib/syscalls.h"
#include "services/lib/tsc.h"

namespace hiillos::block {
namespace {

// The session's attached frame (0 when none).
class AttachedBuffer {
 public:
  AttachedBuffer(RequestChecks& checks, const ServeLoopConfig& config)
      : checks_(checks), config_(config) {}
  ~AttachedBuffer() { Detach(); }

  // AttachBuffer with `frame` (the received capability, now ours): replaces the old buffer.
  // Fills the reply's w1 (the size) and w2 (the new attachment's id).
  Error Attach(uint32_t frame, uapi::IpcMessage* reply) {
    Detach();
    auto info = rt::FrameInfo(frame);
    if (info.ok() && info.value().size_bytes <= config_.max_buffer_bytes &&
        rt::VmemMap(config_.vmem, frame, config_.buffer_address, uapi::kMapRead | uapi::kMapWrite,
                    config_.memory)
            .ok()) {
      frame_ = frame;
      reply->words[2] = checks_.Attach(reinterpret_cast<uint8_t*>(config_.buffer_address),
                                       info.value().size_bytes);
      reply->words[1] = info.value().size_bytes;
      return Error::kOk;
    }
    (void)rt::CapDelete(frame);
    return Error::kBadRequest;
  }

 private:
  void Detach() {
    if (frame_ == 0) return;
    checks_.Attach(nullptr, 0);
    (void)rt::VmemUnmap(config_.vmem, config_.buffer_address);
    (void)rt::CapDelete(frame_);
    frame_ = 0;
  }

  RequestChecks& checks_;
  const ServeLoopConfig& config_;
  uint32_t frame_ = 0;
};

}  // namespace

void ServeBlockRequests(RequestChecks& checks, const ServeLoopConfig& config) {
  // Attachment ids above every id an earlier instance of this driver handed out (it handed out
  // fewer ids than TSC ticks passed while it ran), so a client of a dead instance cannot name
  // one of ours.
  checks.StartAttachmentIdsAt(rt::ReadTsc());
  AttachedBuffer buffer(checks, config);
  // Receive; after the first request, answer the last one and receive in one call.
  uapi::IpcMessage reply;
  bool answering = false;
  for (;;) {
    auto message = answering ? rt::ReplyRecv(config.endpoint, config.reply, reply)
                             : rt::Recv(config.endpoint, config.reply, uapi::IpcMessage{});
    answering = false;
    if (!message.ok()) {
      if (message.error() == uapi::Status::kDead) return;
      continue;  // a caller that went away while we answered it
    }
    const uapi::IpcMessage& request = message.value();
    reply = uapi::IpcMessage{};
    const uint64_t caps = uapi::IpcInfo::Caps(request.info);
    const bool attach = static_cast<Op>(request.words[0]) == Op::kAttachBuffer;
    if (!attach || caps != 1) {
      // Only AttachBuffer takes a capability, exactly one: drop the rest.
      for (uint64_t i = 0; i < caps && i < uapi::kIpcMaxCaps; ++i) {
        (void)rt::CapDelete(config.ipc_buffer->caps[i].handle);
      }
    }
    if (attach) {
      Error error = Error::kBadRequest;
      if (caps == 1) error = buffer.Attach(config.ipc_buffer->caps[0].handle, &reply);
      reply.words[0] = static_cast<uint64_t>(error);
    } else {
      reply = checks.Handle(request);
    }
    answering = true;
  }
}

void ServeNoDevice(const ServeLoopConfig& config) {
  uapi::IpcMessage reply;
  bool answering = false;
  for (;;) {
    auto message = answering ? rt::ReplyRecv(config.endpoint, config.reply, reply)
                             : rt::Recv(config.endpoint, config.reply, uapi::IpcMessage{});
    answering = false;
    if (!message.ok()) {
      if (message.error() == uapi::Status::kDead) return;
      continue;
    }
    const uint64_t caps = uapi::IpcInfo::Caps(message.value().info);
    for (uint64_t i = 0; i < caps && i < uapi::kIpcMaxCaps; ++i) {
      (void)rt::CapDelete(config.ipc_buffer->caps[i].handle);
    }
    reply = uapi::IpcMessage{};
    reply.words[0] = static_cast<uint64_t>(Error::kNoDevice);
    answering = true;
  }
}

}  // namespace hiillos::block
