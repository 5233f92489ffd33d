// lib/ring/producer.h — the producing end of a shared single-producer/single-consumer ring.
//
// One thread of one process owns a Producer. It keeps its own copy of head and of the geometry,
// so a misbehaving consumer can only make calls fail with kCorruptIndices, never make this side
// touch memory outside the region. Wake-ups follow docs/protocols/ring.md:
//
//   auto pushed = TRY(producer.Push(data, n));
//   if (pushed.wake_consumer) Signal(consumer_notify);
//   if (pushed.pushed == 0 && TRY(producer.PrepareToWait())) Wait(producer_notify);
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/ring/error.h"
#include "lib/ring/region.h"

namespace hiillos::ring {

struct PushResult {
  size_t pushed;       // slots copied in (0 when the ring is full)
  bool wake_consumer;  // the consumer is waiting: signal its Notify
};

class Producer {
 public:
  // Validates the ring in region[0, region_size) (see ValidateRing) for slots of slot_size bytes.
  static Result<Producer, Error> Attach(void* region, size_t region_size, uint32_t slot_size);

  // Copies as many of `count` slots (count * slot_size bytes at `slots`) as fit, in order, and
  // publishes them. Errors: kCorruptIndices (the consumer's tail is out of range; nothing
  // pushed).
  Result<PushResult, Error> Push(const void* slots, size_t count);

  // Free slots right now. Errors: kCorruptIndices.
  Result<size_t, Error> FreeSlots() const;

  // Announces that the producer is about to sleep because the ring is full. Returns true when it
  // may sleep on its Notify (the consumer will signal after freeing slots), false when slots were
  // freed meanwhile (push again instead). Errors: kCorruptIndices.
  Result<bool, Error> PrepareToWait();

  uint32_t slot_size() const { return view_.slot_size; }
  uint32_t slot_count() const { return view_.slot_count; }

 private:
  explicit Producer(const RingView& view) : view_(view), head_(view.head) {}
  Result<uint32_t, Error> UsedSlots(uint32_t tail) const;

  RingView view_;
  uint32_t head_;  // authoritative; the shared copy is only ever written from here
};

}  // namespace hiillos::ring
