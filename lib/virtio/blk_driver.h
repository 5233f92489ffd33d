// lib/virtio/blk_driver.h — virtio-blk request logic over one split virtqueue: request headers
// and status bytes in a DMA area, data descriptors split by size_max/seg_max, bounds checks
// against capacity, status handling; asynchronous (Submit/Kick/Collect) and blocking
// (Read/Write/Flush/GetId, which split large transfers into as many requests as needed).
//
// Ownership: the caller owns the SplitQueue, the request area and the doorbell, which must
// outlive the driver. One thread uses a BlockDriver; use either the asynchronous calls or the
// blocking ones on one driver, not both at once (the blocking calls collect every completion).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/virtio/blk_config.h"
#include "lib/virtio/blk_layout.h"
#include "lib/virtio/error.h"
#include "lib/virtio/split_queue.h"

namespace hiillos::virtio {

// What the driver process provides around the queue: the doorbell write
// (PciTransport::Notify) and a wait for the queue's interrupt (its IrqLine's Notify).
class QueueDoorbell {
 public:
  virtual void Notify() = 0;
  virtual void WaitForCompletion() = 0;

 protected:
  ~QueueDoorbell() = default;
};

// One virtio-blk request. data_address/bytes: the data buffer's device address and length
// (physically contiguous; empty for kFlush, kBlkIdBytes for kGetId).
struct BlockRequest {
  BlkRequestType type;
  uint64_t sector;
  uint64_t data_address;
  uint32_t bytes;
};

struct BlockCompletion {
  uint64_t cookie;
  Result<void, Error> status;  // kIoError, kUnsupported, kDeviceProtocol
};

class BlockDriver {
 public:
  // Bytes of request area per queue entry: a 16-byte header and the status byte.
  static constexpr size_t kSlotBytes = 32;
  static constexpr size_t kMaxSlots = kMaxQueueSize / 2;  // a request takes >= 2 descriptors
  // Data segments per request, whatever the queue size (keeps the chain under construction,
  // kept on the stack, small); QEMU's seg_max is queue size - 2 = 126 by default.
  static constexpr uint32_t kMaxDataSegments = 254;
  static constexpr size_t RequestAreaBytes(uint16_t queue_size) {
    return kSlotBytes * (queue_size / 2);
  }

  // `area` (RequestAreaBytes(queue.size()) bytes, device address `area_address`, both 16-byte
  // aligned) holds headers and status bytes. Errors: kMisalignedRing, kBadQueueSize.
  [[nodiscard]] Result<void, Error> Initialize(SplitQueue& queue, const BlockConfig& config,
                                               uint8_t* area, uint64_t area_address,
                                               size_t area_bytes, QueueDoorbell& doorbell);

  // Queues one request (without notifying). Errors: kOutOfRange, kReadOnly, kUnsupported,
  // kRequestTooLarge, kQueueFull, kQueueBroken.
  [[nodiscard]] Result<void, Error> Submit(const BlockRequest& request, uint64_t cookie);
  // Notifies the device of submitted requests if it asked for notifications.
  void Kick();
  // Takes up to `capacity` finished requests. Errors: the queue's (kBadUsedIndex, kBadUsedId,
  // kQueueBroken): the device must then be reset and requests in flight are lost.
  [[nodiscard]] Result<uint32_t, Error> Collect(BlockCompletion* out, uint32_t capacity);

  // Blocking transfers of `count` sectors at `sector` to or from the buffer at device address
  // `data_address`. Errors: any of Submit's and Collect's, and the first failed request's.
  [[nodiscard]] Result<void, Error> Read(uint64_t sector, uint64_t count, uint64_t data_address);
  [[nodiscard]] Result<void, Error> Write(uint64_t sector, uint64_t count, uint64_t data_address);
  [[nodiscard]] Result<void, Error> Flush();
  [[nodiscard]] Result<void, Error> GetId(uint64_t data_address);  // kBlkIdBytes bytes

  // The largest data length one request can carry (a multiple of 512).
  uint64_t MaxBytesPerRequest() const;
  const BlockConfig& config() const { return config_; }
  uint32_t requests_in_flight() const { return in_flight_; }

 private:
  Result<void, Error> Check(const BlockRequest& request) const;
  uint64_t SegmentLimit() const;
  uint32_t SegmentLimitCount() const;
  Result<void, Error> Transfer(BlkRequestType type, uint64_t sector, uint64_t count,
                               uint64_t data_address);
  Result<void, Error> Single(const BlockRequest& request);

  SplitQueue* queue_ = nullptr;
  QueueDoorbell* doorbell_ = nullptr;
  BlockConfig config_{};
  uint8_t* area_ = nullptr;
  uint64_t area_address_ = 0;
  uint32_t slot_count_ = 0;
  uint32_t in_flight_ = 0;
  // Private free list of request slots and each busy slot's cookie.
  uint16_t next_free_slot_[kMaxSlots];
  uint16_t free_slot_head_ = 0;
  uint64_t slot_cookie_[kMaxSlots];
};

}  // namespace hiillos::virtio
