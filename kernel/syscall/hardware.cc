// kernel/syscall/hardware.cc — user-space hardware access: IrqLineBind, IrqGsiBind, IrqMsiBind,
// IrqLineAck, IoPortRangeSplit, IoPortRangeEnable, DeviceMemoryCreateFrame, FrameDmaAddress.
#include "kernel/object/device_memory.h"
#include "kernel/object/frame.h"
#include "kernel/object/io_port_range.h"
#include "kernel/object/irq_line.h"
#include "kernel/object/thread.h"
#include "kernel/panic/assert.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"

namespace hiillos::syscall {

// kInvalidArgument: `authority` is a bound line, `irq` names no input, or `bits` is 0.
KResult<cap::Handle> SysIrqLineBind(Capability<object::IrqLine> authority,
                                    Capability<object::Memory> memory, uint64_t irq,
                                    Capability<object::Notify> notify, uint64_t bits) {
  if (!authority->is_authority() || bits == 0 || !object::IrqLine::IsValidLine(irq)) {
    return Err(uapi::Status::kInvalidArgument);
  }
  object::Ref<object::IrqLine> line =
      TRY(object::IrqLine::Bind(memory.object, irq, Move(notify.object), bits));
  return cap::KernelTable().Insert(
      Caller().cap_owner(), Move(line),
      uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer);
}

// kInvalidArgument: `authority` is a bound line, `gsi` is below 16 or names no input, `flags`
// has a bit other than kIrqGsiActiveLow, or `bits` is 0.
KResult<cap::Handle> SysIrqGsiBind(Capability<object::IrqLine> authority,
                                   Capability<object::Memory> memory, uint64_t gsi, uint64_t flags,
                                   Capability<object::Notify> notify, uint64_t bits) {
  if (!authority->is_authority() || bits == 0 || (flags & ~uapi::kIrqGsiFlags) != 0 ||
      !object::IrqLine::IsValidGsi(gsi)) {
    return Err(uapi::Status::kInvalidArgument);
  }
  object::Ref<object::IrqLine> line =
      TRY(object::IrqLine::BindGsi(memory.object, gsi, flags, Move(notify.object), bits));
  return cap::KernelTable().Insert(
      Caller().cap_owner(), Move(line),
      uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer);
}

// kInvalidArgument: `authority` is a bound line or `bits` is 0. The message is written out
// before the capability is inserted, so a bad `out` leaves nothing behind (the line is unbound
// again when its only reference drops).
KResult<cap::Handle> SysIrqMsiBind(Capability<object::IrqLine> authority,
                                   Capability<object::Memory> memory,
                                   Capability<object::Notify> notify, uint64_t bits,
                                   user::UserOut<uapi::MsiMessage> out) {
  if (!authority->is_authority() || bits == 0) return Err(uapi::Status::kInvalidArgument);
  uapi::MsiMessage message{};
  object::Ref<object::IrqLine> line =
      TRY(object::IrqLine::BindMsi(memory.object, Move(notify.object), bits, &message));
  TRY(user::CopyOut(out, message));
  return cap::KernelTable().Insert(
      Caller().cap_owner(), Move(line),
      uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer);
}

// kInvalidArgument: `line` is the authority (it has no input).
KResult<void> SysIrqLineAck(Capability<object::IrqLine> line) {
  if (line->is_authority()) return Err(uapi::Status::kInvalidArgument);
  line->Ack();
  return Ok();
}

// kInvalidArgument: [first, first + count) is empty or not inside `range`. The new range has
// the source capability's rights.
KResult<cap::Handle> SysIoPortRangeSplit(Capability<object::IoPortRange> range,
                                         Capability<object::Memory> memory, uint64_t first,
                                         uint64_t count) {
  if (!range->Covers(first, count)) return Err(uapi::Status::kInvalidArgument);
  object::Ref<object::IoPortRange> part = TRY(range->Split(memory.object, first, count));
  return cap::KernelTable().Insert(Caller().cap_owner(), Move(part), range.rights);
}

KResult<void> SysIoPortRangeEnable(Capability<object::IoPortRange> range,
                                   Capability<object::Memory> memory) {
  object::Thread* self = object::CurrentThread();
  ASSERT(self != nullptr, "syscall from a kernel context (no calling thread)");
  return self->io_ports().Enable(self->sched(), *range.object, memory.object);
}

// kInvalidArgument: the range is empty, unaligned, wraps or lies beyond physical addresses;
// kPermissionDenied: it touches RAM or the kernel's own device registers. The frame gets Read,
// Write, Map, Clone and Transfer.
KResult<cap::Handle> SysDeviceMemoryCreateFrame(Capability<object::DeviceMemory> authority,
                                                Capability<object::Memory> memory, uint64_t phys,
                                                uint64_t size) {
  (void)authority;  // the capability (with kWrite) is the permission
  uapi::Status verdict = object::DeviceMemory::CheckRange(phys, size);
  if (verdict != uapi::Status::kOk) return Err(verdict);
  object::Ref<object::Frame> frame =
      TRY(object::DeviceMemory::CreateFrame(memory.object, phys, size));
  return cap::KernelTable().Insert(Caller().cap_owner(), Move(frame),
                                   uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kMap |
                                       uapi::Rights::kClone | uapi::Rights::kTransfer);
}

// Any frame's physical base (RAM frames are physically contiguous, so a device can reach the
// whole frame from there). Needs kRead on a DeviceMemory capability: only device authority
// learns physical addresses (docs/objects.md, "DeviceMemory").
KResult<void> SysFrameDmaAddress(Capability<object::Frame> frame,
                                 Capability<object::DeviceMemory> authority,
                                 user::UserOut<uint64_t> out) {
  (void)authority;
  return user::CopyOut(out, frame->phys());
}

}  // namespace hiillos::syscall
