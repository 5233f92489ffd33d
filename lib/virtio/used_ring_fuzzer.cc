// lib/virtio/used_ring_fuzzer.cc — libFuzzer target: the fuzzer plays a malicious device. A
// script interleaves driver operations (add chains, take used chains, notification and
// interrupt calls) with device writes of arbitrary values to the used ring (elements, idx,
// flags, avail_event) and the descriptor table, plus honest completions. The queue must never
// touch memory outside its exactly-sized rings (AddressSanitizer), return a cookie that is not
// in flight or return one twice, report a length beyond a chain's writable bytes, or lose a
// descriptor: free descriptors + descriptors in flight == queue size after every step.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <map>
#include <vector>

#include "lib/fuzzing/fuzz_script.h"
#include "lib/virtio/split_queue.h"

namespace hiillos::virtio {
namespace {

using fuzzing::FuzzCheck;
using fuzzing::FuzzScript;

struct Chain {
  uint16_t head;
  uint16_t descriptors;
  uint64_t writable;
};

void Run(FuzzScript& script) {
  const uint16_t size = static_cast<uint16_t>(1u << (script.Byte() % 6));  // 1..32
  const bool event_idx = (script.Byte() & 1) != 0;
  // Exactly-sized rings in separate heap blocks, so any overrun is an ASan report.
  std::vector<VirtqDesc> descriptors(size);
  std::vector<uint16_t> available(AvailRingBytes(size) / 2);
  std::vector<uint32_t> used((UsedRingBytes(size) + 3) / 4);
  void* used_ring = used.data();
  const SplitQueueMemory memory{
      descriptors.data(), available.data(), used_ring, 0x10000, 0x20000, 0x30000};
  static SplitQueue queue;  // large: not on the stack
  FuzzCheck(queue.Initialize(size, memory, event_idx).ok());

  std::map<uint64_t, Chain> in_flight;  // by cookie
  uint64_t next_cookie = 1;
  uint16_t device_used_idx = 0;
  while (!script.empty()) {
    switch (script.Byte() % 8) {
      case 0: {  // driver: add a chain
        const uint16_t count = static_cast<uint16_t>(1 + script.Byte() % (size + 1));
        std::vector<ChainBuffer> buffers(count);
        uint64_t writable = 0;
        for (auto& buffer : buffers) {
          buffer = ChainBuffer{script.Word(), script.Half(), (script.Byte() & 1) != 0};
          if (buffer.device_writable) writable += buffer.length;
        }
        const auto head = queue.AddChain(buffers.data(), count, next_cookie);
        if (head.ok()) {
          FuzzCheck(head.value() < size);
          in_flight[next_cookie++] = Chain{head.value(), count, writable};
        }
        break;
      }
      case 1: {  // driver: take completions
        UsedChain out[8];
        const uint32_t capacity = 1 + script.Byte() % 8;
        const auto taken = queue.TakeUsed(out, capacity);
        if (!taken.ok()) {
          FuzzCheck(queue.broken());
          break;
        }
        FuzzCheck(taken.value() <= capacity);
        for (uint32_t i = 0; i < taken.value(); ++i) {
          const auto found = in_flight.find(out[i].cookie);
          FuzzCheck(found != in_flight.end());
          FuzzCheck(out[i].written <= found->second.writable);
          FuzzCheck(!out[i].length_overrun || out[i].written == 0);
          in_flight.erase(found);
        }
        break;
      }
      case 2: {  // device: an arbitrary used element
        const uint16_t slot = script.Half() % size;
        UsedRingEntries(used_ring)[slot] = VirtqUsedElem{script.Word(), script.Word()};
        break;
      }
      case 3:  // device: an arbitrary used idx
        device_used_idx = script.Half();
        static_cast<VirtqUsedHeader*>(used_ring)->idx = device_used_idx;
        break;
      case 4: {  // device: honest completion of a chain in flight (by the fuzzer's choice)
        if (in_flight.empty()) break;
        auto it = in_flight.begin();
        for (uint8_t skip = script.Byte() % in_flight.size(); skip > 0; --skip) ++it;
        const uint64_t writable = it->second.writable;
        const auto len = static_cast<uint32_t>(script.Word() % (writable + 1));
        UsedRingEntries(used_ring)[device_used_idx & (size - 1)] =
            VirtqUsedElem{it->second.head, len};
        device_used_idx = static_cast<uint16_t>(device_used_idx + 1);
        static_cast<VirtqUsedHeader*>(used_ring)->idx = device_used_idx;
        break;
      }
      case 5:  // device: suppression fields and descriptor table scribbles
        static_cast<VirtqUsedHeader*>(used_ring)->flags = script.Half();
        *AvailEventField(used_ring, size) = script.Half();
        descriptors[script.Byte() % size].next = script.Half();
        descriptors[script.Byte() % size].flags = script.Half();
        break;
      case 6:
        (void)queue.ShouldNotify();
        break;
      default:
        if (script.Byte() & 1) {
          (void)queue.EnableInterrupts();
        } else {
          queue.DisableInterrupts();
        }
        break;
    }
    uint32_t busy = 0;
    for (const auto& [cookie, chain] : in_flight) busy += chain.descriptors;
    FuzzCheck(queue.free_descriptors() + busy == size);
    FuzzCheck(queue.chains_in_flight() == in_flight.size());
  }
}

}  // namespace
}  // namespace hiillos::virtio

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hiillos::virtio::FuzzScript script(data, size);
  hiillos::virtio::Run(script);
  return 0;
}
