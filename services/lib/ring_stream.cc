// services/lib/ring_stream.cc — the blocking loops around lib/ring's Push/Pop and wake-up
// protocol (ring_stream.h).
#include "services/lib/ring_stream.h"

namespace hiillos::rt {

Result<RingWriter, ring::Error> RingWriter::Attach(void* region, size_t size, uint32_t slot_size,
                                                   RingWakeOps wake) {
  ring::Producer producer = TRY(ring::Producer::Attach(region, size, slot_size));
  return RingWriter(producer, wake);
}

Result<void, RingStreamError> RingWriter::WriteAll(const void* slots, size_t count) {
  const auto* bytes = static_cast<const uint8_t*>(slots);
  const uint32_t slot_size = producer_.slot_size();
  while (count > 0) {
    auto pushed = producer_.Push(bytes, count);
    if (!pushed.ok()) {
      ring_error_ = pushed.error();
      return Err(RingStreamError::kRing);
    }
    if (pushed.value().wake_consumer && !wake_.signal_peer(wake_.context)) {
      return Err(RingStreamError::kWakeFailed);
    }
    bytes += pushed.value().pushed * slot_size;
    count -= pushed.value().pushed;
    if (pushed.value().pushed != 0) continue;
    // Full: sleep unless the consumer freed slots since (then push again).
    auto may_sleep = producer_.PrepareToWait();
    if (!may_sleep.ok()) {
      ring_error_ = may_sleep.error();
      return Err(RingStreamError::kRing);
    }
    if (may_sleep.value() && !wake_.wait_own(wake_.context)) {
      return Err(RingStreamError::kWakeFailed);
    }
  }
  return Ok<RingStreamError>();
}

Result<RingReader, ring::Error> RingReader::Attach(void* region, size_t size, uint32_t slot_size,
                                                   RingWakeOps wake) {
  ring::Consumer consumer = TRY(ring::Consumer::Attach(region, size, slot_size));
  return RingReader(consumer, wake);
}

Result<size_t, RingStreamError> RingReader::ReadSome(void* slots, size_t count) {
  if (count == 0) return size_t{0};
  for (;;) {
    auto popped = consumer_.Pop(slots, count);
    if (!popped.ok()) {
      ring_error_ = popped.error();
      return Err(RingStreamError::kRing);
    }
    if (popped.value().wake_producer && !wake_.signal_peer(wake_.context)) {
      return Err(RingStreamError::kWakeFailed);
    }
    if (popped.value().popped != 0) return popped.value().popped;
    // Empty: sleep unless data arrived since (then pop again).
    auto may_sleep = consumer_.PrepareToWait();
    if (!may_sleep.ok()) {
      ring_error_ = may_sleep.error();
      return Err(RingStreamError::kRing);
    }
    if (may_sleep.value() && !wake_.wait_own(wake_.context)) {
      return Err(RingStreamError::kWakeFailed);
    }
  }
}

}  // namespace hiillos::rt
