// kernel/object/memory.h — Memory: the authority to allocate (a byte budget the kernel charges
// for every object and frame carved from physical memory on its behalf), and MemoryCharge, the
// RAII record of one charge that each allocated object keeps and refunds when destroyed.
//
// The kernel allocates the actual pages from the PMM (frames: PageUse::kUser, objects: the
// object allocator, page tables: PageUse::kPageTable); a Memory only bounds how much one holder
// may take. The root process receives one Memory whose budget is all free physical memory.
//
// Ownership: references (capability slots and every MemoryCharge against it). It outlives
// everything charged to it. Locking: none; the budget is a lock-free counter (memory_budget.h).
#pragma once

#include <stdint.h>

#include "kernel/object/kernel_object.h"
#include "kernel/object/memory_budget.h"
#include "kernel/object/ref.h"
#include "kernel/result/kresult.h"
#include "lib/base/result.h"
#include "lib/base/utility.h"
#include "uapi/object_type.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

namespace hiillos::object {

class MemoryCharge;

class Memory : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kMemory;

  // A Memory that may hand out `budget_bytes` (the Memory object itself is not charged: only
  // the kernel creates Memory objects). Errors: kOutOfMemory (no kernel memory).
  static KResult<Ref<Memory>> Create(uint64_t budget_bytes);
  static void Destroy(Memory* memory);

  // Charges `bytes` to `memory` and returns the charge (refunded when it is destroyed).
  // Errors: kOutOfMemory (the budget is exhausted).
  static KResult<MemoryCharge> Charge(const Ref<Memory>& memory, uint64_t bytes);

  // For holders that account many small pieces themselves (a Vmem's page tables): every
  // ChargeBytes must be matched by exactly one RefundBytes of the same size.
  // Errors: kOutOfMemory.
  KResult<void> ChargeBytes(uint64_t bytes) { return budget_.Charge(bytes); }
  void RefundBytes(uint64_t bytes) { budget_.Refund(bytes); }

  uapi::MemoryInfo Info() const { return {budget_.available(), budget_.used()}; }

 private:
  friend class MemoryCharge;
  explicit Memory(uint64_t budget_bytes) : KernelObject(kObjectType), budget_(budget_bytes) {}
  ~Memory() = default;

  MemoryBudget budget_;
};

// One charge against a Memory: move-only; refunds when destroyed or reset.
class MemoryCharge {
 public:
  MemoryCharge() = default;
  MemoryCharge(MemoryCharge&& other) : memory_(Move(other.memory_)), bytes_(other.bytes_) {
    other.bytes_ = 0;
  }
  MemoryCharge& operator=(MemoryCharge&& other) {
    MemoryCharge taken(Move(other));
    reset();
    memory_ = Move(taken.memory_);
    bytes_ = taken.bytes_;
    taken.bytes_ = 0;
    return *this;
  }
  MemoryCharge(const MemoryCharge&) = delete;
  MemoryCharge& operator=(const MemoryCharge&) = delete;
  ~MemoryCharge() { reset(); }

  // Refunds the bytes and drops the Memory reference.
  void reset() {
    if (memory_) memory_->budget_.Refund(bytes_);
    bytes_ = 0;
    memory_.reset();
  }
  uint64_t bytes() const { return bytes_; }
  Memory* memory() const { return memory_.get(); }

 private:
  friend class Memory;
  MemoryCharge(Ref<Memory> memory, uint64_t bytes) : memory_(Move(memory)), bytes_(bytes) {}

  Ref<Memory> memory_;
  uint64_t bytes_ = 0;
};

}  // namespace hiillos::object
