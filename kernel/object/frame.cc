// kernel/object/frame.cc — Frame: RAM frames from the PMM (zeroed, charged) and physical frames.
#include "kernel/object/frame.h"

#include "kernel/mm/object_allocator.h"
#include "kernel/mm/pmm.h"
#include "kernel/result/kresult.h"
#include "kernel/sched/scheduler.h"
#include "lib/base/checked.h"
#include "lib/base/page_size.h"
#include "lib/base/placement_new.h"
#include "lib/base/utility.h"

namespace hiillos::object {
namespace {

// Physical addresses the paging structures can express (52 bits).
constexpr uint64_t kPhysicalLimit = 1ull << 52;

// Zeroing up to 1 GiB takes a while: between chunks there is a preemption point (pending
// interrupts such as TLB shootdowns and timer ticks are taken, a due reschedule happens, and the
// interrupts-off stretch ends there: docs/interrupts-off.md). The caller holds no lock here.
constexpr uint64_t kZeroChunkBytes = 64 * 1024;

void ZeroPages(uint8_t* memory, uint64_t bytes) {
  for (uint64_t offset = 0; offset < bytes; offset += kZeroChunkBytes) {
    __builtin_memset(memory + offset, 0, Min(kZeroChunkBytes, bytes - offset));
    if (offset + kZeroChunkBytes < bytes) sched::PreemptionPoint();
  }
}

}  // namespace

KResult<Ref<Frame>> Frame::Create(const Ref<Memory>& memory, FrameOrder frame_order) {
  const unsigned order = static_cast<unsigned>(frame_order.value());
  const uint64_t bytes = kPageSize << order;
  MemoryCharge charge = TRY(Memory::Charge(memory, bytes + sizeof(Frame)));
  auto storage = mm::ObjectAlloc(sizeof(Frame));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  auto phys = mm::AllocatePages(order, mm::PageUse::kUser);
  if (!phys.ok()) {
    mm::ObjectFree(storage.value(), sizeof(Frame));
    return Err(uapi::Status::kOutOfMemory);
  }
  // Never hand out old contents: another process's data may be in these pages.
  ZeroPages(static_cast<uint8_t*>(mm::PhysToVirt(phys.value())), bytes);
  return AdoptRef(new (storage.value())
                      Frame(phys.value(), bytes, Kind::kRam, order, Move(charge)));
}

KResult<Ref<Frame>> Frame::CreatePhysical(uint64_t phys, uint64_t size, Kind kind) {
  if (kind == Kind::kRam || size == 0 || !IsAligned(phys, kPageSize) ||
      !IsAligned(size, kPageSize) || !RangeInside(phys, size, kPhysicalLimit)) {
    return Err(uapi::Status::kInvalidArgument);
  }
  auto storage = mm::ObjectAlloc(sizeof(Frame));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  return AdoptRef(new (storage.value()) Frame(phys, size, kind, 0, MemoryCharge()));
}

KResult<Ref<Frame>> Frame::CreateDevice(const Ref<Memory>& memory, uint64_t phys, uint64_t size) {
  if (size == 0 || !IsAligned(phys, kPageSize) || !IsAligned(size, kPageSize) ||
      !RangeInside(phys, size, kPhysicalLimit)) {
    return Err(uapi::Status::kInvalidArgument);
  }
  MemoryCharge charge = TRY(Memory::Charge(memory, sizeof(Frame)));
  auto storage = mm::ObjectAlloc(sizeof(Frame));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  return AdoptRef(new (storage.value()) Frame(phys, size, Kind::kDevice, 0, Move(charge)));
}

void Frame::Destroy(Frame* frame) {
  if (frame->kind_ == Kind::kRam) {
    auto freed = mm::FreePages(frame->phys_, frame->order_);
    (void)freed;  // the PMM handed these pages to this frame
  }
  frame->~Frame();  // refunds the charge
  mm::ObjectFree(frame, sizeof(Frame));
}

void* Frame::KernelPointer() const {
  return mm::PhysToVirt(phys_);
}

}  // namespace hiillos::object
