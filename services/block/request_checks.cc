// services/block/request_checks.cc — block protocol request validation and replies.
#include "services/block/request_checks.h"

namespace hiillos::block {

namespace {

uapi::IpcMessage Reply(Error error) {
  uapi::IpcMessage reply;
  reply.words[0] = static_cast<uint64_t>(error);
  return reply;
}

}  // namespace

Error RequestChecks::Transfer(const uapi::IpcMessage& request, bool write) {
  const uint64_t first = request.words[1];
  const uint64_t count = request.words[2];
  const uint64_t offset = request.words[3];
  if (count == 0 || count > geometry_.max_sectors_per_request || offset % kSectorSize != 0) {
    return Error::kBadRequest;
  }
  // Only the current attachment's owner may use the buffer: a request naming an attachment that
  // was replaced (or none) must not touch its successor's bytes.
  if (buffer_ == nullptr || request.words[4] != attachment_) return Error::kNoBuffer;
  // Overflow-checked: first + count within the disk; offset + bytes within the buffer.
  const uint64_t sectors = geometry_.sector_count;
  if (first >= sectors || count > sectors - first) return Error::kOutOfRange;
  if (count > UINT64_MAX / kSectorSize) return Error::kOutOfRange;
  const uint64_t bytes = count * kSectorSize;
  if (offset >= buffer_size_ || bytes > buffer_size_ - offset) return Error::kOutOfRange;
  if (write && (geometry_.flags & kFlagReadOnly) != 0) return Error::kReadOnly;
  return write ? store_.WriteSectors(first, count, buffer_ + offset)
               : store_.ReadSectors(first, count, buffer_ + offset);
}

uapi::IpcMessage RequestChecks::Handle(const uapi::IpcMessage& request) {
  switch (static_cast<Op>(request.words[0])) {
    case Op::kInfo: {
      uapi::IpcMessage reply = Reply(Error::kOk);
      reply.words[1] = kSectorSize;
      reply.words[2] = geometry_.sector_count;
      reply.words[3] = geometry_.flags;
      reply.words[4] = geometry_.max_sectors_per_request;
      return reply;
    }
    case Op::kRead:
      return Reply(Transfer(request, false));
    case Op::kWrite:
      return Reply(Transfer(request, true));
    case Op::kFlush:
      if ((geometry_.flags & kFlagFlushSupported) == 0) return Reply(Error::kUnsupported);
      return Reply(store_.Flush());
    case Op::kAttachBuffer:  // the caller's loop handles the capability
      break;
  }
  return Reply(Error::kBadRequest);
}

}  // namespace hiillos::block
