// services/ramdisk/ram_disk.cc — block protocol requests against an in-memory image.
#include "services/ramdisk/ram_disk.h"

namespace hiillos::ramdisk {

namespace {

uapi::IpcMessage Reply(block::Error error) {
  uapi::IpcMessage reply;
  reply.words[0] = static_cast<uint64_t>(error);
  return reply;
}

}  // namespace

block::Error RamDisk::Transfer(const uapi::IpcMessage& request, bool write) {
  const uint64_t first = request.words[1];
  const uint64_t count = request.words[2];
  const uint64_t offset = request.words[3];
  if (count == 0 || count > kMaxSectorsPerRequest || offset % block::kSectorSize != 0) {
    return block::Error::kBadRequest;
  }
  if (buffer_ == nullptr) return block::Error::kNoBuffer;
  // Overflow-checked: first + count within the disk; offset + bytes within the buffer.
  if (first >= sector_count_ || count > sector_count_ - first) return block::Error::kOutOfRange;
  const uint64_t bytes = count * block::kSectorSize;  // count <= 128: no overflow
  if (offset >= buffer_size_ || bytes > buffer_size_ - offset) return block::Error::kOutOfRange;
  if (write && read_only_) return block::Error::kReadOnly;
  uint8_t* sectors = disk_ + first * block::kSectorSize;
  if (write) {
    __builtin_memcpy(sectors, buffer_ + offset, bytes);
  } else {
    __builtin_memcpy(buffer_ + offset, sectors, bytes);
  }
  return block::Error::kOk;
}

uapi::IpcMessage RamDisk::Handle(const uapi::IpcMessage& request) {
  switch (static_cast<block::Op>(request.words[0])) {
    case block::Op::kInfo: {
      uapi::IpcMessage reply = Reply(block::Error::kOk);
      reply.words[1] = block::kSectorSize;
      reply.words[2] = sector_count_;
      reply.words[3] = (read_only_ ? block::kFlagReadOnly : 0) | block::kFlagFlushSupported;
      reply.words[4] = kMaxSectorsPerRequest;
      return reply;
    }
    case block::Op::kRead:
      return Reply(Transfer(request, false));
    case block::Op::kWrite:
      return Reply(Transfer(request, true));
    case block::Op::kFlush:  // memory is the medium: every write has reached it
      return Reply(block::Error::kOk);
    case block::Op::kAttachBuffer:  // main.cc handles the capability
      break;
  }
  return Reply(block::Error::kBadRequest);
}

}  // namespace hiillos::ramdisk
