// lib/ring/consumer.h — the consuming end of a shared single-producer/single-consumer ring.
//
// One thread of one process owns a Consumer. It keeps its own copy of tail and of the geometry,
// so a misbehaving producer can only make calls fail with kCorruptIndices, never make this side
// touch memory outside the region. Popped data is a copy: validate it after Pop, the producer
// may still be writing to the slots it came from. Wake-ups follow docs/protocols/ring.md:
//
//   auto popped = TRY(consumer.Pop(buffer, n));
//   if (popped.wake_producer) Signal(producer_notify);
//   if (popped.popped == 0 && TRY(consumer.PrepareToWait())) Wait(consumer_notify);
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/ring/error.h"
#include "lib/ring/region.h"

namespace hiillos::ring {

struct PopResult {
  size_t popped;       // slots copied out (0 when the ring is empty)
  bool wake_producer;  // the producer is waiting for space: signal its Notify
};

class Consumer {
 public:
  // Validates the ring in region[0, region_size) (see ValidateRing) for slots of slot_size bytes.
  static Result<Consumer, Error> Attach(void* region, size_t region_size, uint32_t slot_size);

  // Copies up to `count` slots into `slots` (room for count * slot_size bytes), in order, and
  // releases them to the producer. Errors: kCorruptIndices (the producer's head is out of range;
  // nothing popped).
  Result<PopResult, Error> Pop(void* slots, size_t count);

  // Filled slots right now. Errors: kCorruptIndices.
  Result<size_t, Error> FilledSlots() const;

  // Announces that the consumer is about to sleep because the ring is empty. Returns true when it
  // may sleep on its Notify (the producer will signal after publishing), false when data arrived
  // meanwhile (pop again instead). Errors: kCorruptIndices.
  Result<bool, Error> PrepareToWait();

  uint32_t slot_size() const { return view_.slot_size; }
  uint32_t slot_count() const { return view_.slot_count; }

 private:
  explicit Consumer(const RingView& view) : view_(view), tail_(view.tail) {}
  Result<uint32_t, Error> FilledSlots(uint32_t head) const;

  RingView view_;
  uint32_t tail_;  // authoritative; the shared copy is only ever written from here
};

}  // namespace hiillos::ring
