// lib/virtio/blk_driver.cc — virtio-blk requests: building chains, checking and collecting them.
#include "lib/virtio/blk_driver.h"

#include "lib/base/checked.h"
#include "lib/virtio/shared_access.h"

namespace hiillos::virtio {
namespace {

// Without VIRTIO_BLK_F_SIZE_MAX a segment is still one descriptor (len is 32 bits); keep each
// below 2 GiB and sector-aligned.
constexpr uint64_t kUnlimitedSegmentBytes = 1ull << 31;
constexpr uint8_t kStatusNotWritten = 0xff;
constexpr uint32_t kStatusOffset = sizeof(BlkRequestHeader);

Result<void, Error> StatusFromByte(uint8_t status) {
  switch (status) {
    case kBlkStatusOk:
      return Ok<Error>();
    case kBlkStatusIoError:
      return Err(Error::kIoError);
    case kBlkStatusUnsupported:
      return Err(Error::kUnsupported);
    default:
      return Err(Error::kDeviceProtocol);
  }
}

}  // namespace

Result<void, Error> BlockDriver::Initialize(SplitQueue& queue, const BlockConfig& config,
                                            uint8_t* area, uint64_t area_address, size_t area_bytes,
                                            QueueDoorbell& doorbell) {
  if (queue.size() < 2) return Err(Error::kBadQueueSize);
  if (area == nullptr || !IsAligned(reinterpret_cast<uintptr_t>(area), 16) ||
      !IsAligned(area_address, 16)) {
    return Err(Error::kMisalignedRing);
  }
  if (area_bytes < RequestAreaBytes(queue.size())) return Err(Error::kBadQueueSize);
  queue_ = &queue;
  doorbell_ = &doorbell;
  config_ = config;
  area_ = area;
  area_address_ = area_address;
  slot_count_ = queue.size() / 2;
  for (uint32_t i = 0; i < slot_count_; ++i) next_free_slot_[i] = static_cast<uint16_t>(i + 1);
  free_slot_head_ = 0;
  in_flight_ = 0;
  return Ok<Error>();
}

uint64_t BlockDriver::SegmentLimit() const {
  const uint64_t limit = config_.size_max != 0 ? config_.size_max : kUnlimitedSegmentBytes;
  return limit;
}

uint32_t BlockDriver::SegmentLimitCount() const {
  uint32_t limit = static_cast<uint32_t>(queue_->size()) - 2;  // header and status
  if (limit > kMaxDataSegments) limit = kMaxDataSegments;
  if (config_.seg_max != 0 && config_.seg_max < limit) limit = config_.seg_max;
  return limit;
}

uint64_t BlockDriver::MaxBytesPerRequest() const {
  const uint64_t bytes = SegmentLimit() * SegmentLimitCount();
  const uint64_t capped = bytes < 0xffffffffull ? bytes : 0xffffffffull;
  return AlignDown(capped, kBlkSectorSize);
}

Result<void, Error> BlockDriver::Check(const BlockRequest& request) const {
  switch (request.type) {
    case BlkRequestType::kIn:
    case BlkRequestType::kOut: {
      if (request.type == BlkRequestType::kOut && config_.read_only) return Err(Error::kReadOnly);
      if (request.bytes == 0 || request.bytes % kBlkSectorSize != 0) {
        return Err(Error::kOutOfRange);
      }
      if (!RangeInside(request.sector, request.bytes / kBlkSectorSize, config_.capacity_sectors)) {
        return Err(Error::kOutOfRange);
      }
      return Ok<Error>();
    }
    case BlkRequestType::kFlush:
      if (!config_.flush) return Err(Error::kUnsupported);
      return request.bytes == 0 ? Ok<Error>() : Err(Error::kOutOfRange);
    case BlkRequestType::kGetId:
      return request.bytes == kBlkIdBytes ? Ok<Error>() : Err(Error::kOutOfRange);
  }
  return Err(Error::kUnsupported);
}

Result<void, Error> BlockDriver::Submit(const BlockRequest& request, uint64_t cookie) {
  if (queue_->broken()) return Err(Error::kQueueBroken);
  TRY(Check(request));
  const uint64_t segment_limit = SegmentLimit();
  const uint64_t segments = (request.bytes + segment_limit - 1) / segment_limit;
  if (segments > SegmentLimitCount()) return Err(Error::kRequestTooLarge);
  if (free_slot_head_ >= slot_count_ || queue_->free_descriptors() < segments + 2) {
    return Err(Error::kQueueFull);
  }

  const uint16_t slot = free_slot_head_;
  uint8_t* slot_memory = area_ + kSlotBytes * slot;
  const uint64_t slot_address = area_address_ + kSlotBytes * slot;
  const BlkRequestHeader header{static_cast<uint32_t>(request.type), 0,
                                request.type == BlkRequestType::kFlush ? 0 : request.sector};
  __builtin_memcpy(slot_memory, &header, sizeof(header));
  slot_memory[kStatusOffset] = kStatusNotWritten;

  const bool device_writes_data =
      request.type == BlkRequestType::kIn || request.type == BlkRequestType::kGetId;
  ChainBuffer buffers[kMaxDataSegments + 2];
  uint16_t count = 0;
  buffers[count++] = ChainBuffer{slot_address, sizeof(BlkRequestHeader), false};
  for (uint64_t done = 0; done < request.bytes; done += segment_limit) {
    const uint64_t left = request.bytes - done;
    const uint32_t length = static_cast<uint32_t>(left < segment_limit ? left : segment_limit);
    buffers[count++] = ChainBuffer{request.data_address + done, length, device_writes_data};
  }
  buffers[count++] = ChainBuffer{slot_address + kStatusOffset, 1, true};
  TRY(queue_->AddChain(buffers, count, slot));

  free_slot_head_ = next_free_slot_[slot];
  slot_cookie_[slot] = cookie;
  ++in_flight_;
  return Ok<Error>();
}

void BlockDriver::Kick() {
  if (queue_->ShouldNotify()) doorbell_->Notify();
}

Result<uint32_t, Error> BlockDriver::Collect(BlockCompletion* out, uint32_t capacity) {
  constexpr uint32_t kBatch = 16;
  uint32_t collected = 0;
  while (collected < capacity) {
    UsedChain used[kBatch];
    const uint32_t want = capacity - collected < kBatch ? capacity - collected : kBatch;
    const uint32_t taken = TRY(queue_->TakeUsed(used, want));
    for (uint32_t i = 0; i < taken; ++i) {
      // The cookie is the slot index this driver gave AddChain, from the queue's private copy.
      const auto slot = static_cast<uint16_t>(used[i].cookie);
      const uint8_t status_byte =
          LoadRelaxed(area_ + kSlotBytes * slot + kStatusOffset);  // read once
      Result<void, Error> status = StatusFromByte(status_byte);
      // The status byte is the last device-writable byte: a len that does not cover it, or one
      // larger than the buffers, means the device broke the protocol.
      if (used[i].length_overrun || used[i].written == 0) status = Err(Error::kDeviceProtocol);
      out[collected++] = BlockCompletion{slot_cookie_[slot], status};
      next_free_slot_[slot] = free_slot_head_;
      free_slot_head_ = slot;
      --in_flight_;
    }
    if (taken < want) break;
  }
  return collected;
}

}  // namespace hiillos::virtio
