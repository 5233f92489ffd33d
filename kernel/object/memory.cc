// kernel/object/memory.cc — Memory: creation (roots and children carved from a parent) and
// charges.
#include "kernel/object/memory.h"

#include "kernel/mm/object_allocator.h"
#include "kernel/result/kresult.h"
#include "lib/base/placement_new.h"

namespace hiillos::object {

KResult<Ref<Memory>> Memory::Create(uint64_t budget_bytes) {
  auto storage = mm::ObjectAlloc(sizeof(Memory));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  return AdoptRef(new (storage.value()) Memory(budget_bytes, Ref<Memory>(), 0, 0));
}

KResult<Ref<Memory>> Memory::CreateChild(const Ref<Memory>& parent, uint64_t budget_bytes) {
  // budget + object overflowing 64 bits exceeds any budget: the charge fails as it should.
  const uint64_t cost =
      budget_bytes > UINT64_MAX - sizeof(Memory) ? UINT64_MAX : budget_bytes + sizeof(Memory);
  TRY(parent->budget_.Charge(cost));
  auto storage = mm::ObjectAlloc(sizeof(Memory));
  if (!storage.ok()) {
    parent->budget_.Refund(cost);
    return Err(uapi::Status::kOutOfMemory);
  }
  return AdoptRef(new (storage.value()) Memory(budget_bytes, parent, cost, parent->depth_ + 1));
}

Memory::~Memory() {
  // Everything charged to this Memory held a reference to it, so nothing is charged any more.
  ASSERT(budget_.used() == 0, "Memory destroyed with charges outstanding");
  if (parent_) parent_->budget_.Refund(parent_bytes_);
}

void Memory::Destroy(Memory* memory) {
  memory->~Memory();  // refunds the parent and drops it
  mm::ObjectFree(memory, sizeof(Memory));
}

KResult<MemoryCharge> Memory::Charge(const Ref<Memory>& memory, uint64_t bytes) {
  TRY(memory->budget_.Charge(bytes));
  return MemoryCharge(memory, bytes);
}

}  // namespace hiillos::object
