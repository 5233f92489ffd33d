// kernel/syscall/pager.cc — VmemSetPager, VmemTakeFault, VmemResolveFault, VmemClearPager:
// user-space pagers (kernel/object/pager.h).
#include "kernel/object/pager.h"
#include "kernel/object/bounded_value.h"
#include "kernel/object/notify.h"
#include "kernel/object/process.h"
#include "kernel/object/vmem.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/user/user_copy.h"

namespace hiillos::syscall {

using object::Vmem;

// The calling process becomes the pager of `vmem`: faults on pages that are not present signal
// `bits` on `notify`. Decode: kInvalidArgument for no bit. Perform: kBusy (it has a pager),
// kDead (the caller is dying).
KResult<void> SysVmemSetPager(Capability<Vmem> vmem, Capability<object::Notify> notify,
                              uint64_t bits) {
  if (bits == 0) return Err(uapi::Status::kInvalidArgument);
  return Caller().paged_vmems().Attach(Caller(), *vmem.object, Move(notify.object), bits);
}

// The oldest queued fault; kWouldBlock when none is. A failed copy-out puts it back.
KResult<void> SysVmemTakeFault(Capability<Vmem> vmem, user::UserOut<uapi::PageFault> out) {
  uapi::PageFault fault = TRY(vmem->pager().Take());
  KResult<void> copied = user::CopyOut(out, fault);
  if (!copied.ok()) vmem->pager().Untake(fault.token);
  return copied;
}

// kDead: no fault with `token` waits (already resolved, or its thread was stopped or killed).
KResult<void> SysVmemResolveFault(Capability<Vmem> vmem, uint64_t token,
                                  object::BoundedValue<uapi::kFaultRetry> verdict) {
  return vmem->pager().Resolve(token, verdict.value() == uapi::kFaultRetry);
}

// kNotMapped: it has no pager. Faults still waiting are refused (their threads die).
KResult<void> SysVmemClearPager(Capability<Vmem> vmem) {
  return object::PagedVmems::Clear(*vmem.object);
}

}  // namespace hiillos::syscall
