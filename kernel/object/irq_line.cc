// kernel/object/irq_line.cc — IrqLine: the authority, binding an input to a Notify, the
// interrupt hook, acknowledging and unbinding.
#include "kernel/object/irq_line.h"

#include "kernel/arch/irq_lines.h"
#include "kernel/mm/object_allocator.h"
#include "lib/base/placement_new.h"

namespace hiillos::object {

KResult<Ref<IrqLine>> IrqLine::CreateAuthority() {
  auto storage = mm::ObjectAlloc(sizeof(IrqLine));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  return AdoptRef(new (storage.value()) IrqLine(true, 0, Ref<Notify>(), 0, MemoryCharge()));
}

// A line not bound yet, charged to `memory` (dropping it refunds the charge).
KResult<Ref<IrqLine>> IrqLine::Allocate(const Ref<Memory>& memory, uint32_t input,
                                        Ref<Notify> notify, uint64_t bits) {
  MemoryCharge charge = TRY(Memory::Charge(memory, sizeof(IrqLine)));
  auto storage = mm::ObjectAlloc(sizeof(IrqLine));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  return AdoptRef(new (storage.value()) IrqLine(false, input, Move(notify), bits, Move(charge)));
}

bool IrqLine::IsValidLine(uint64_t line) {
  return arch::ResolveIrqLine(line).ok();
}

KResult<Ref<IrqLine>> IrqLine::Bind(const Ref<Memory>& memory, uint64_t line, Ref<Notify> notify,
                                    uint64_t bits) {
  auto input = arch::ResolveIrqLine(line);
  if (!input.ok()) return Err(uapi::Status::kInvalidArgument);  // decode checked it
  Ref<IrqLine> bound = TRY(Allocate(memory, input.value(), Move(notify), bits));
  auto result = arch::BindIrqLine(input.value(), line, &IrqLine::OnInterrupt, bound.get());
  if (!result.ok()) return Err(uapi::Status::kBusy);  // dropping `bound` refunds the charge
  bound->bound_ = true;
  return bound;
}

bool IrqLine::IsValidGsi(uint64_t gsi) {
  return arch::ResolveGsi(gsi).ok();
}

KResult<Ref<IrqLine>> IrqLine::BindGsi(const Ref<Memory>& memory, uint64_t gsi, uint64_t flags,
                                       Ref<Notify> notify, uint64_t bits) {
  auto input = arch::ResolveGsi(gsi);
  if (!input.ok()) return Err(uapi::Status::kInvalidArgument);  // decode checked it
  Ref<IrqLine> bound = TRY(Allocate(memory, input.value(), Move(notify), bits));
  const bool active_low = (flags & uapi::kIrqGsiActiveLow) != 0;
  auto result = arch::BindGsi(input.value(), active_low, &IrqLine::OnInterrupt, bound.get());
  if (!result.ok()) return Err(uapi::Status::kBusy);  // dropping `bound` refunds the charge
  bound->bound_ = true;
  return bound;
}

KResult<Ref<IrqLine>> IrqLine::BindMsi(const Ref<Memory>& memory, Ref<Notify> notify, uint64_t bits,
                                       uapi::MsiMessage* message) {
  Ref<IrqLine> bound = TRY(Allocate(memory, 0, Move(notify), bits));
  // The hook may run as soon as BindMsi returns (a device already programmed with an old
  // message), so the object is complete before it is published.
  auto target = arch::BindMsi(&IrqLine::OnInterrupt, bound.get());
  if (!target.ok()) return Err(uapi::Status::kBusy);  // dropping `bound` refunds the charge
  bound->input_ = target.value().vector;
  bound->msi_ = true;
  *message = {target.value().address, target.value().data, target.value().vector};
  return bound;
}

void IrqLine::Destroy(IrqLine* line) {
  if (line->msi_) {
    arch::UnbindMsi(static_cast<uint8_t>(line->input_));
  } else if (line->bound_) {
    arch::UnbindIrqLine(line->input_);
  }
  line->~IrqLine();  // drops the Notify, refunds the charge
  mm::ObjectFree(line, sizeof(IrqLine));
}

void IrqLine::Ack() {
  if (!authority_ && bound_ && !msi_) arch::UnmaskIrqLine(input_);
}

void IrqLine::OnInterrupt(void* context) {
  auto* line = static_cast<IrqLine*>(context);
  line->notify_->Signal(line->bits_);
}

}  // namespace hiillos::object
