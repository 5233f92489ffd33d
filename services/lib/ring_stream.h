// services/lib/ring_stream.h — blocking ends of a shared-memory ring (lib/ring) with Notify
// wake-ups (docs/protocols/ring.md): RingWriter::WriteAll pushes everything, sleeping while the
// ring is full; RingReader::ReadSome pops what is there, sleeping while it is empty. Each side
// signals the other's Notify exactly when the protocol says the other sleeps.
//
// The wake-up operations are passed in (RingWakeOps), so the same code runs in user space
// (NotifyWakeOps: NotifySignal / NotifyWait, services/lib/ring_notify.h) and in host tests
// (a fake Notify). One thread per end; a misbehaving peer can make calls fail with
// ring::Error::kCorruptIndices or cause spurious wake-ups, nothing else.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/ring/consumer.h"
#include "lib/ring/error.h"
#include "lib/ring/producer.h"

namespace hiillos::rt {

// How one end wakes its peer and sleeps. `wait_own` returns when this end's Notify was
// signalled (or spuriously); a false return ends the operation with kWakeFailed.
struct RingWakeOps {
  void* context = nullptr;
  bool (*signal_peer)(void* context) = nullptr;
  bool (*wait_own)(void* context) = nullptr;
};

enum class RingStreamError : uint8_t {
  kRing,        // the ring reported an error (ring_error() says which)
  kWakeFailed,  // signal_peer or wait_own failed (e.g. the Notify capability is gone)
};

class RingWriter {
 public:
  // Attaches as the producer of the ring in region[0, size) with slots of slot_size bytes.
  static Result<RingWriter, ring::Error> Attach(void* region, size_t size, uint32_t slot_size,
                                                RingWakeOps wake);
  // Pushes all `count` slots (count * slot_size bytes), sleeping whenever the ring is full.
  Result<void, RingStreamError> WriteAll(const void* slots, size_t count);
  ring::Error ring_error() const { return ring_error_; }

 private:
  RingWriter(ring::Producer producer, RingWakeOps wake) : producer_(producer), wake_(wake) {}
  ring::Producer producer_;
  RingWakeOps wake_;
  ring::Error ring_error_{};
};

class RingReader {
 public:
  // Attaches as the consumer of the ring in region[0, size) with slots of slot_size bytes.
  static Result<RingReader, ring::Error> Attach(void* region, size_t size, uint32_t slot_size,
                                                RingWakeOps wake);
  // Pops between 1 and `count` slots into `slots`, sleeping while the ring is empty; returns
  // how many.
  Result<size_t, RingStreamError> ReadSome(void* slots, size_t count);
  ring::Error ring_error() const { return ring_error_; }

 private:
  RingReader(ring::Consumer consumer, RingWakeOps wake) : consumer_(consumer), wake_(wake) {}
  ring::Consumer consumer_;
  RingWakeOps wake_;
  ring::Error ring_error_{};
};

}  // namespace hiillos::rt
