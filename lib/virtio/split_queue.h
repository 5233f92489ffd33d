// lib/virtio/split_queue.h — the driver side of one split virtqueue over caller-provided memory:
// descriptor free list, chained requests, notification suppression (VIRTIO_F_EVENT_IDX or the
// flags), and a used-ring consumer that validates everything the device writes.
//
// Ownership: the caller owns the three ring areas (mapped DMA memory) and must keep them alive
// and not touch them while the SplitQueue lives. The free list and every chain's shape live in
// private arrays, never read back from shared memory, so a device that scribbles over the rings
// can make calls fail but cannot corrupt the free list or make this class access memory outside
// the rings. One thread uses a SplitQueue at a time (the device is the only concurrent party).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/virtio/error.h"
#include "lib/virtio/split_queue_layout.h"

namespace hiillos::virtio {

// The three areas of a queue: driver-visible pointers and the device (bus) addresses the
// transport programs into queue_desc / queue_driver / queue_device.
struct SplitQueueMemory {
  void* descriptors;
  void* available;
  void* used;
  uint64_t descriptors_address;
  uint64_t available_address;
  uint64_t used_address;
};

// One buffer of a chain: its device address, length and direction.
struct ChainBuffer {
  uint64_t address;
  uint32_t length;
  bool device_writable;
};

// A chain the device returned.
struct UsedChain {
  uint64_t cookie;      // what the driver passed to AddChain
  uint32_t written;     // the device's len (0 when length_overrun)
  bool length_overrun;  // the device claimed more bytes than the chain's writable buffers hold
};

class SplitQueue {
 public:
  // Zeroes the rings and prepares a queue of `size` entries. event_idx: VIRTIO_F_EVENT_IDX was
  // negotiated. Errors: kBadQueueSize, kMisalignedRing (pointers or device addresses).
  [[nodiscard]] Result<void, Error> Initialize(uint16_t size, const SplitQueueMemory& memory,
                                               bool event_idx);

  // Places a chain of `count` buffers (device-readable ones first, by convention) in the
  // available ring and publishes it. Errors: kBadChain, kQueueFull, kQueueBroken.
  [[nodiscard]] Result<uint16_t, Error> AddChain(const ChainBuffer* buffers, uint16_t count,
                                                 uint64_t cookie);

  // After one or more AddChain calls: whether the device asked to be notified of them (its
  // avail_event, or VIRTQ_USED_F_NO_NOTIFY). The caller then writes the queue's doorbell.
  bool ShouldNotify();

  // Takes up to `capacity` completed chains from the used ring, validating each element and
  // freeing its descriptors. Returns how many were taken (0: none pending). A used idx ahead by
  // more than the chains in flight (kBadUsedIndex), or an id that is not a chain head in flight
  // (kBadUsedId), breaks the queue: a call returns what it took before the bad element, the next
  // call that error, and every later call kQueueBroken.
  [[nodiscard]] Result<uint32_t, Error> TakeUsed(UsedChain* out, uint32_t capacity);

  // Asks the device for an interrupt on the next completion (used_event, or clearing
  // VIRTQ_AVAIL_F_NO_INTERRUPT) and returns true when completions are already pending, so the
  // caller must not sleep. DisableInterrupts asks for none (a hint the device may ignore).
  bool EnableInterrupts();
  void DisableInterrupts();

  uint16_t size() const { return size_; }
  uint16_t free_descriptors() const { return free_count_; }
  uint16_t chains_in_flight() const { return chains_in_flight_; }
  bool broken() const { return broken_; }

 private:
  void FreeChain(uint16_t head);

  uint16_t size_ = 0;
  VirtqDesc* descriptors_ = nullptr;
  void* available_ = nullptr;
  void* used_ = nullptr;
  bool event_idx_ = false;
  bool broken_ = true;  // until Initialize succeeds
  bool has_deferred_error_ = false;
  Error deferred_error_ = Error::kQueueBroken;

  // Private links: for free descriptors the free list, for a chain in flight its order.
  uint16_t next_[kMaxQueueSize];
  uint16_t free_head_ = 0;
  uint16_t free_count_ = 0;
  // Per chain head in flight: descriptor count (0 = not a head in flight), writable bytes and
  // the caller's cookie.
  uint16_t chain_length_[kMaxQueueSize];
  uint64_t writable_bytes_[kMaxQueueSize];
  uint64_t cookie_[kMaxQueueSize];
  uint16_t chains_in_flight_ = 0;

  uint16_t avail_idx_ = 0;   // our copy of avail->idx (we are its only writer)
  uint16_t kicked_idx_ = 0;  // avail idx at the last ShouldNotify
  uint16_t last_used_ = 0;   // next used ring entry to consume
};

}  // namespace hiillos::virtio
