// kernel/object/memory.cc — Memory: creation and charges.
#include "kernel/object/memory.h"

#include "kernel/mm/object_allocator.h"
#include "kernel/result/kresult.h"
#include "lib/base/placement_new.h"

namespace hiillos::object {

KResult<Ref<Memory>> Memory::Create(uint64_t budget_bytes) {
  auto storage = mm::ObjectAlloc(sizeof(Memory));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  return AdoptRef(new (storage.value()) Memory(budget_bytes));
}

void Memory::Destroy(Memory* memory) {
  memory->~Memory();
  mm::ObjectFree(memory, sizeof(Memory));
}

KResult<MemoryCharge> Memory::Charge(const Ref<Memory>& memory, uint64_t bytes) {
  TRY(memory->budget_.Charge(bytes));
  return MemoryCharge(memory, bytes);
}

}  // namespace hiillos::object
