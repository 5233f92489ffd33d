// kernel/syscall/hardware.cc — user-space hardware access: IrqLineBind, IrqLineAck,
// IoPortRangeSplit, IoPortRangeEnable.
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

}  // namespace hiillos::syscall
