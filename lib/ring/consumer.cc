// lib/ring/consumer.cc — popping from a shared ring and the consumer's half of the wake-ups.
#include "lib/ring/consumer.h"

#include "lib/ring/shared_word.h"
#include "lib/ring/slot_copy.h"

namespace hiillos::ring {

Result<Consumer, Error> Consumer::Attach(void* region, size_t region_size, uint32_t slot_size) {
  return Consumer(TRY(ValidateRing(region, region_size, slot_size)));
}

Result<uint32_t, Error> Consumer::FilledSlots(uint32_t head) const {
  const uint32_t filled = head - tail_;
  if (filled > view_.slot_count) return Err(Error::kCorruptIndices);
  return filled;
}

Result<size_t, Error> Consumer::FilledSlots() const {
  return TRY(FilledSlots(LoadAcquire(&view_.header->head)));
}

Result<PopResult, Error> Consumer::Pop(void* slots, size_t count) {
  // Acquire: the producer's writes to the slots it published are visible.
  const uint32_t filled = TRY(FilledSlots(LoadAcquire(&view_.header->head)));
  const uint32_t n = count < filled ? static_cast<uint32_t>(count) : filled;
  if (n == 0) return PopResult{0, false};
  CopyOutOfSlots(view_, tail_, static_cast<uint8_t*>(slots), n);
  tail_ += n;
  // Release the slots, then look at the producer's flag (see Producer::Push).
  StoreSequential(&view_.header->tail, tail_);
  const bool wake = TakeWaitingFlag(&view_.header->producer_waiting);
  return PopResult{n, wake};
}

Result<bool, Error> Consumer::PrepareToWait() {
  StoreSequential(&view_.header->consumer_waiting, 1);
  const uint32_t filled = TRY(FilledSlots(LoadSequential(&view_.header->head)));
  if (filled > 0) {
    // Data arrived between our empty pop and the flag: do not sleep (see Producer).
    StoreSequential(&view_.header->consumer_waiting, 0);
    return false;
  }
  return true;
}

}  // namespace hiillos::ring
