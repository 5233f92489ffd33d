// kernel/object/memory_budget.h — MemoryBudget: the lock-free byte accounting behind a Memory
// object (how much it may hand out, how much its objects hold now). Pure logic, host-tested.
#pragma once

#include <stdint.h>

#include "kernel/panic/assert.h"
#include "kernel/result/kresult.h"
#include "lib/base/atomic.h"
#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::object {

class MemoryBudget {
 public:
  constexpr explicit MemoryBudget(uint64_t total_bytes) : total_(total_bytes) {}
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;

  // Takes `bytes` from the budget. Errors: kOutOfMemory (would exceed the total). Concurrent
  // charges never overshoot: the check and the update are one compare-exchange.
  Result<void, uapi::Status> Charge(uint64_t bytes) {
    uint64_t used = used_.Load(MemoryOrder::kRelaxed);
    for (;;) {
      if (bytes > total_ || used > total_ - bytes) return Err(uapi::Status::kOutOfMemory);
      if (used_.CompareExchange(used, used + bytes, MemoryOrder::kRelaxed, MemoryOrder::kRelaxed)) {
        return Ok<uapi::Status>();
      }
    }
  }
  // Gives back what a Charge took. Refunding more than is in use is a kernel bug: it asserts.
  void Refund(uint64_t bytes) {
    uint64_t old = used_.FetchSub(bytes, MemoryOrder::kRelaxed);
    ASSERT(old >= bytes, "MemoryBudget: refunded more than is in use");
  }

  uint64_t total() const { return total_; }
  uint64_t used() const { return used_.Load(MemoryOrder::kRelaxed); }
  // What may still be charged (a snapshot).
  uint64_t available() const { return total_ - used(); }

 private:
  const uint64_t total_;
  Atomic<uint64_t> used_;
};

}  // namespace hiillos::object
