// lib/ring/producer.cc — pushing into a shared ring and the producer's half of the wake-ups.
#include "lib/ring/producer.h"

#include "lib/ring/shared_word.h"
#include "lib/ring/slot_copy.h"

namespace hiillos::ring {

Result<Producer, Error> Producer::Attach(void* region, size_t region_size, uint32_t slot_size) {
  return Producer(TRY(ValidateRing(region, region_size, slot_size)));
}

Result<uint32_t, Error> Producer::UsedSlots(uint32_t tail) const {
  const uint32_t used = head_ - tail;
  if (used > view_.slot_count) return Err(Error::kCorruptIndices);
  return used;
}

Result<size_t, Error> Producer::FreeSlots() const {
  return view_.slot_count - TRY(UsedSlots(LoadAcquire(&view_.header->tail)));
}

Result<PushResult, Error> Producer::Push(const void* slots, size_t count) {
  // Acquire: the consumer has finished reading the slots it released before we overwrite them.
  const uint32_t free = view_.slot_count - TRY(UsedSlots(LoadAcquire(&view_.header->tail)));
  const uint32_t n = count < free ? static_cast<uint32_t>(count) : free;
  if (n == 0) return PushResult{0, false};
  CopyIntoSlots(view_, head_, static_cast<const uint8_t*>(slots), n);
  head_ += n;
  // Publish (release), then look at the consumer's flag: both sequentially consistent, so either
  // we see consumer_waiting set or the consumer's re-check in PrepareToWait sees this head.
  StoreSequential(&view_.header->head, head_);
  const bool wake = TakeWaitingFlag(&view_.header->consumer_waiting);
  return PushResult{n, wake};
}

Result<bool, Error> Producer::PrepareToWait() {
  StoreSequential(&view_.header->producer_waiting, 1);
  const uint32_t used = TRY(UsedSlots(LoadSequential(&view_.header->tail)));
  if (used < view_.slot_count) {
    // Space appeared between our failed push and the flag: do not sleep. If the consumer also
    // saw the flag it signals once more; a spurious wake-up is harmless.
    StoreSequential(&view_.header->producer_waiting, 0);
    return false;
  }
  return true;
}

}  // namespace hiillos::ring
