// kernel/syscall/process.cc — ProcessGiveCap: handing a capability to another process.
#include "kernel/object/process.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"

namespace hiillos::syscall {

// ProcessGiveCap(process, handle, rights) -> the new handle, owned by that process: a copy of
// the caller's capability `handle` with `rights` (a subset of its own). The process needs
// kWrite; the capability kTransfer and kClone (a copy: the caller keeps its own).
// Errors: kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument (undefined rights
// bits), kDead (the process's threads have all exited), kNoSlots, kOutOfMemory.
SyscallResult SysProcessGiveCap(const SyscallArgs& a) {
  object::Ref<object::Process> target =
      TRY(LookupCap<object::Process>(a.arg[0], uapi::Rights::kWrite));
  uint32_t handle = TRY(HandleArg(a.arg[1]));
  uapi::Rights rights = TRY(RightsArg(a.arg[2]));
  if (target->dead()) return Err(uapi::Status::kDead);
  return TRY(cap::KernelTable().Grant(Caller().id(), handle, target->id(), rights));
}

}  // namespace hiillos::syscall
