// lib/ring/ring_fuzzer.cc — libFuzzer target: a ring header and region contents from arbitrary
// bytes, then a script of pushes, pops, wait preparations and peer writes to the shared header.
// Attaching either fails with an error value or gives ends that never access memory outside the
// exactly-sized region (AddressSanitizer), never move more slots than asked or than the ring
// holds, fail only with kCorruptIndices, and, while the peer leaves the header alone, deliver
// exactly the bytes pushed, in order.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <deque>
#include <vector>

#include "lib/fuzzing/fuzz_script.h"
#include "lib/ring/consumer.h"
#include "lib/ring/producer.h"
#include "lib/ring/region.h"

namespace hiillos::ring {
namespace {

using fuzzing::FuzzCheck;
using fuzzing::FuzzScript;

void Run(FuzzScript& script) {
  // Region: a multiple of 64 bytes (so the allocation ends exactly where the region does), its
  // header taken from the input as the peer would have left it.
  const size_t region_size = kSlotsOffset + 64 * (script.Byte() % 17);
  const uint32_t slot_size = 1 + script.Byte() % 16;
  const bool initialise = script.Byte() & 1;
  uint8_t* region = static_cast<uint8_t*>(aligned_alloc(64, region_size));
  memset(region, 0, region_size);
  for (size_t i = 0; i < kSlotsOffset; ++i) region[i] = script.Byte();  // the header as found
  if (initialise) {
    const uint32_t slot_count = 1u << (script.Byte() % 8);
    if (!InitializeRing(region, region_size, slot_size, slot_count).ok()) {
      free(region);
      return;
    }
  }
  auto producer = Producer::Attach(region, region_size, slot_size);
  auto consumer = Consumer::Attach(region, region_size, slot_size);
  FuzzCheck(producer.ok() == consumer.ok());
  if (!producer.ok()) {
    free(region);
    return;
  }
  const uint32_t slot_count = producer.value().slot_count();
  FuzzCheck(slot_count == consumer.value().slot_count() &&
            slot_size == producer.value().slot_size());
  auto* header = reinterpret_cast<RingHeader*>(region);
  std::deque<uint8_t> model;    // bytes pushed and not popped, while the peer behaves
  bool tampered = !initialise;  // a header taken as found may already hold data
  uint8_t next = 0;
  std::vector<uint8_t> buffer;
  while (!script.empty()) {
    const uint8_t op = script.Byte();
    const size_t count = script.Byte() % 40;
    switch (op % 6) {
      case 0: {
        buffer.resize(count * slot_size);
        for (uint8_t& byte : buffer) byte = next++;
        auto pushed = producer.value().Push(buffer.data(), count);
        if (!pushed.ok()) {
          FuzzCheck(pushed.error() == Error::kCorruptIndices && tampered);
          break;
        }
        FuzzCheck(pushed.value().pushed <= count && pushed.value().pushed <= slot_count);
        next = static_cast<uint8_t>(next - (count - pushed.value().pushed) * slot_size);
        model.insert(model.end(), buffer.begin(),
                     buffer.begin() + pushed.value().pushed * slot_size);
        break;
      }
      case 1: {
        buffer.assign(count * slot_size, 0);
        auto popped = consumer.value().Pop(buffer.data(), count);
        if (!popped.ok()) {
          FuzzCheck(popped.error() == Error::kCorruptIndices && tampered);
          break;
        }
        FuzzCheck(popped.value().popped <= count && popped.value().popped <= slot_count);
        for (size_t i = 0; i < popped.value().popped * slot_size && !tampered; ++i) {
          FuzzCheck(!model.empty() && model.front() == buffer[i]);
          model.pop_front();
        }
        break;
      }
      case 2:
        header->head = script.Word();
        tampered = true;
        break;
      case 3:
        header->tail = script.Word();
        tampered = true;
        break;
      case 4:
        header->slot_count = script.Word();
        header->slot_size = script.Word();
        tampered = true;
        break;
      default: {
        auto producer_waits = producer.value().PrepareToWait();
        auto consumer_waits = consumer.value().PrepareToWait();
        FuzzCheck(producer_waits.ok() || tampered);
        FuzzCheck(consumer_waits.ok() || tampered);
        break;
      }
    }
  }
  free(region);
}

}  // namespace
}  // namespace hiillos::ring

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hiillos::ring::FuzzScript script(data, size);
  hiillos::ring::Run(script);
  return 0;
}
