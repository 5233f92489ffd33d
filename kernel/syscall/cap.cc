// kernel/syscall/cap.cc — CapIdentify, CapDerive, CapDelete: operations on any capability (the
// capability table checks the slot and performs in one step under its lock).
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"

namespace hiillos::syscall {

KResult<uapi::CapInfo> SysCapIdentify(cap::Handle handle) {
  cap::CapabilityInfo info = TRY(cap::KernelTable().Identify(Caller().cap_owner(), handle));
  return uapi::CapInfo{info.type, info.rights};
}

// The source needs kClone and a superset of `rights`; the new slot is charged to the caller's
// Memory (the one its process was allocated from).
KResult<cap::Handle> SysCapDerive(cap::Handle handle, uapi::Rights rights) {
  return cap::KernelTable().Derive(Caller().cap_owner(), handle, rights);
}

KResult<void> SysCapDelete(cap::Handle handle) {
  return cap::KernelTable().Delete(Caller().cap_owner(), handle);
}

}  // namespace hiillos::syscall
