// kernel/syscall/process.cc — ProcessGiveCap (handing a capability to another process),
// ProcessKill and ProcessSetMaxPriority (priority authority).
#include "kernel/object/process.h"
#include "kernel/object/thread.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"

namespace hiillos::syscall {

// A copy of the caller's capability `handle` with `rights` (a subset of its own) for `process`;
// the caller keeps its own. The capability needs kTransfer and kClone (checked by the table
// together with the copy); the new slot is charged to the receiving process's Memory
// (kOutOfMemory when its budget is exhausted). kDead: the process's threads have all exited.
//
// No capability outlives its process: the process may die while the grant runs. Death marks
// the process dead before its capabilities are purged (object/process.h), and the purge takes
// the table lock after that, so a grant whose slot the purge could have missed (inserted after
// the purge passed it) sees the mark when it checks again below, and takes the slot back. A
// slot the purge deleted first is gone already; deleting by (owner, handle) can only hit
// another slot of the same dead process, which must go too.
KResult<cap::Handle> SysProcessGiveCap(Capability<object::Process> process, cap::Handle handle,
                                       uapi::Rights rights) {
  if (process->dead()) return Err(uapi::Status::kDead);
  cap::Handle given =
      TRY(cap::KernelTable().Grant(Caller().cap_owner(), handle, process->cap_owner(), rights));
  if (process->dead()) {
    (void)cap::KernelTable().Delete(process->cap_owner(), given);
    return Err(uapi::Status::kDead);
  }
  return given;
}

// Kills every thread of the process (each ends with ExitReason::kKilled, code 0; blocked waits
// end); it dies when the last has exited, at once if none runs, taking its capabilities. No new
// thread of it starts or is created. Killing a dead or killed process again does nothing.
KResult<void> SysProcessKill(Capability<object::Process> process) {
  object::KillProcess(*process.object);
  return Ok();
}

// kPermissionDenied: above the caller's own process maximum (authority is never amplified).
KResult<void> SysProcessSetMaxPriority(Capability<object::Process> process,
                                       object::Priority priority) {
  if (priority.value() > Caller().max_priority()) return Err(uapi::Status::kPermissionDenied);
  process->set_max_priority(priority.value());
  return Ok();
}

}  // namespace hiillos::syscall
