// kernel/object/io_port_range.cc — IoPortRange: the root's range, splitting; IoPortGrant:
// enabling a range for the calling thread.
#include "kernel/object/io_port_range.h"

#include "kernel/arch/interrupts.h"
#include "kernel/arch/io_ports.h"
#include "kernel/mm/object_allocator.h"
#include "kernel/mm/pmm.h"
#include "lib/base/page_size.h"
#include "lib/base/placement_new.h"

namespace hiillos::object {
namespace {

constexpr unsigned kBitmapOrder = 1;  // 8 KiB
static_assert((kPageSize << kBitmapOrder) == arch::kIoPermissionBytes);

}  // namespace

KResult<Ref<IoPortRange>> IoPortRange::CreateAll() {
  auto storage = mm::ObjectAlloc(sizeof(IoPortRange));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  return AdoptRef(new (storage.value()) IoPortRange(0, arch::kIoPortCount, MemoryCharge()));
}

bool IoPortRange::Covers(uint64_t first, uint64_t count) const {
  // No overflow: both sides are below 2^17 once the first two checks pass.
  return count != 0 && count <= count_ && first >= first_ && first - first_ <= count_ - count;
}

KResult<Ref<IoPortRange>> IoPortRange::Split(const Ref<Memory>& memory, uint64_t first,
                                             uint64_t count) const {
  if (!Covers(first, count)) return Err(uapi::Status::kInvalidArgument);  // decode checked it
  MemoryCharge charge = TRY(Memory::Charge(memory, sizeof(IoPortRange)));
  auto storage = mm::ObjectAlloc(sizeof(IoPortRange));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  return AdoptRef(new (storage.value()) IoPortRange(static_cast<uint32_t>(first),
                                                    static_cast<uint32_t>(count), Move(charge)));
}

void IoPortRange::Destroy(IoPortRange* range) {
  range->~IoPortRange();  // refunds the charge
  mm::ObjectFree(range, sizeof(IoPortRange));
}

IoPortGrant::~IoPortGrant() {
  if (phys_ != 0) {
    auto freed = mm::FreePages(phys_, kBitmapOrder);
    (void)freed;  // the PMM handed these pages to this grant
  }
}

KResult<void> IoPortGrant::Enable(sched::ThreadSched& self, const IoPortRange& range,
                                  const Ref<Memory>& memory) {
  if (phys_ == 0) {
    MemoryCharge charge = TRY(Memory::Charge(memory, arch::kIoPermissionBytes));
    auto phys = mm::AllocatePages(kBitmapOrder, mm::PageUse::kObject);
    if (!phys.ok()) return Err(uapi::Status::kOutOfMemory);
    phys_ = phys.value();
    charge_ = Move(charge);
  }
  auto* storage = static_cast<uint8_t*>(mm::PhysToVirt(phys_));
  arch::InterruptGuard interrupts_off;  // the bitmap and this CPU's TSS change together
  (void)arch::AllowIoPorts(&self.user_state, storage, range.first(), range.count());
  return Ok();
}

}  // namespace hiillos::object
