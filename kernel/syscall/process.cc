// kernel/syscall/process.cc — ProcessGiveCap: handing a capability to another process.
#include "kernel/object/process.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"

namespace hiillos::syscall {

// A copy of the caller's capability `handle` with `rights` (a subset of its own) for `process`;
// the caller keeps its own. The capability needs kTransfer and kClone (checked by the table
// together with the copy); the new slot is charged to the receiving process's Memory
// (kOutOfMemory when its budget is exhausted). kDead: the process's threads have all exited.
KResult<cap::Handle> SysProcessGiveCap(Capability<object::Process> process, cap::Handle handle,
                                       uapi::Rights rights) {
  if (process->dead()) return Err(uapi::Status::kDead);
  return cap::KernelTable().Grant(Caller().cap_owner(), handle, process->cap_owner(), rights);
}

}  // namespace hiillos::syscall
