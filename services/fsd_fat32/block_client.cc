// services/fsd_fat32/block_client.cc — sector reads and writes as block protocol requests.
#include "services/fsd_fat32/block_client.h"

#include "services/vfsd/text.h"

namespace hiillos::fsd {

Result<void, block::Error> BlockClient::Connect() {
  auto reply = channel_.Call(fs::Request(static_cast<uint64_t>(block::Op::kInfo)));
  if (!reply.ok()) {
    lost_ = true;
    return Err(block::Error::kDeviceError);
  }
  const uapi::IpcMessage& info = reply.value();
  if (info.words[0] != 0) return Err(static_cast<block::Error>(info.words[0]));
  const uint64_t max_per_request = info.words[4];
  const uint64_t in_buffer = buffer_size_ / block::kSectorSize;
  if (info.words[1] != block::kSectorSize || info.words[2] == 0 || max_per_request == 0 ||
      in_buffer == 0) {
    return Err(block::Error::kDeviceError);
  }
  sector_count_ = info.words[2];
  read_only_ = (info.words[3] & block::kFlagReadOnly) != 0;
  chunk_sectors_ = max_per_request < in_buffer ? max_per_request : in_buffer;
  return Ok<block::Error>();
}

Result<void, fat32::Error> BlockClient::Transfer(block::Op op, uint64_t first, uint32_t count,
                                                 uint8_t* data) {
  if (chunk_sectors_ == 0 || lost_) return Err(fat32::Error::kIo);  // not connected
  uint64_t done = 0;
  while (done < count) {
    const uint64_t left = count - done;
    const uint64_t sectors = left < chunk_sectors_ ? left : chunk_sectors_;
    const uint64_t bytes = sectors * block::kSectorSize;
    uint8_t* at = data + done * block::kSectorSize;
    if (op == block::Op::kWrite) __builtin_memcpy(buffer_, at, bytes);
    auto reply = channel_.Call(fs::Request(static_cast<uint64_t>(op), first + done, sectors,
                                           /*buffer offset*/ 0, attachment_));
    if (!reply.ok()) {
      last_error_ = block::Error::kDeviceError;
      lost_ = true;
      return Err(fat32::Error::kIo);
    }
    if (reply.value().words[0] != 0) {
      last_error_ = static_cast<block::Error>(reply.value().words[0]);
      lost_ = lost_ || last_error_ == block::Error::kNoBuffer;
      return Err(fat32::Error::kIo);
    }
    if (op == block::Op::kRead) __builtin_memcpy(at, buffer_, bytes);
    done += sectors;
  }
  return Ok<fat32::Error>();
}

Result<void, fat32::Error> BlockClient::Read(uint64_t first, uint32_t count, uint8_t* out) {
  return Transfer(block::Op::kRead, first, count, out);
}

Result<void, fat32::Error> BlockClient::Write(uint64_t first, uint32_t count, const uint8_t* data) {
  return Transfer(block::Op::kWrite, first, count, const_cast<uint8_t*>(data));
}

}  // namespace hiillos::fsd
