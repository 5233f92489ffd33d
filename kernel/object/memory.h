// kernel/object/memory.h — Memory: the authority to allocate (a byte budget the kernel charges
// for every object, frame, capability slot, page table and mapping record carved from physical
// memory on its behalf), and MemoryCharge, the RAII record of one charge that each allocated
// object keeps and refunds when destroyed (docs/objects.md, "Who pays for what").
//
// The kernel allocates the actual pages from the PMM (frames: PageUse::kUser, objects: the
// object allocator, page tables: PageUse::kPageTable); a Memory only bounds how much one holder
// may take. The root process receives one Memory whose budget is nearly all free physical
// memory. A Memory can be split: a child Memory's whole budget and its own object are charged
// to its parent while the child lives (MemoryCreate), so budgets nest.
//
// Ownership: references (capability slots, every MemoryCharge against it, and the Processes
// allocated from it, which charge their capability slots to it). It outlives everything charged
// to it; a child holds a charge (a reference) against its parent. Nesting is at most kMaxDepth
// deep, so destroying a chain of Memories (each dropping its parent) stays shallow.
// Locking: none; the budget is a lock-free counter (memory_budget.h).
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

  // Levels of nesting below a root Memory (a root has depth 0).
  static constexpr uint32_t kMaxDepth = 16;

  // A root Memory that may hand out `budget_bytes` (its object is not charged: only the kernel
  // creates roots). Errors: kOutOfMemory (no kernel memory).
  static KResult<Ref<Memory>> Create(uint64_t budget_bytes);
  // A child of `parent` that may hand out `budget_bytes`: budget_bytes + sizeof(Memory) are
  // charged to `parent` until the child is destroyed. The caller checked parent->depth() <
  // kMaxDepth. Errors: kOutOfMemory (the parent's budget, or kernel memory).
  static KResult<Ref<Memory>> CreateChild(const Ref<Memory>& parent, uint64_t budget_bytes);
  static void Destroy(Memory* memory);

  // Charges `bytes` to `memory` and returns the charge (refunded when it is destroyed).
  // Errors: kOutOfMemory (the budget is exhausted).
  static KResult<MemoryCharge> Charge(const Ref<Memory>& memory, uint64_t bytes);

  // For holders that account many small pieces themselves (a Vmem's page tables): every
  // ChargeBytes must be matched by exactly one RefundBytes of the same size.
  // Errors: kOutOfMemory.
  KResult<void> ChargeBytes(uint64_t bytes) { return budget_.Charge(bytes); }
  void RefundBytes(uint64_t bytes) { budget_.Refund(bytes); }

  uapi::MemoryInfo Info() const { return {budget_.available(), budget_.used(), budget_.total()}; }
  // The budget itself, for holders that keep a raw pointer to it while holding a reference to
  // this Memory (a Process's CapOwner).
  MemoryBudget& budget() { return budget_; }
  uint32_t depth() const { return depth_; }

 private:
  friend class MemoryCharge;
  Memory(uint64_t budget_bytes, Ref<Memory> parent, uint64_t parent_bytes, uint32_t depth)
      : KernelObject(kObjectType),
        budget_(budget_bytes),
        parent_(Move(parent)),
        parent_bytes_(parent_bytes),
        depth_(depth) {}
  ~Memory();

  MemoryBudget budget_;
  Ref<Memory> parent_;         // null for a root
  uint64_t parent_bytes_ = 0;  // charged to parent_ while this Memory lives
  uint32_t depth_ = 0;
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
  // Adds `bytes` to this charge, against the same Memory (a Vmem mapping growing by the page
  // tables it creates). Errors: kOutOfMemory (the budget is exhausted; nothing changes).
  KResult<void> Grow(uint64_t bytes) {
    TRY(memory_->budget_.Charge(bytes));
    bytes_ += bytes;
    return Ok();
  }
  // Refunds `bytes` (at most bytes()) of this charge.
  void Shrink(uint64_t bytes) {
    memory_->budget_.Refund(bytes);
    bytes_ -= bytes;
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
