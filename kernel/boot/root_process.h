// kernel/boot/root_process.h — the "user space" boot stage: builds the root process from the
// root.elf boot module and starts its thread (uapi/initial_caps.h documents what it gets).
#pragma once

#include "kernel/result/kresult.h"
#include "lib/base/result.h"
#include "uapi/boot_info.h"
#include "uapi/status.h"

namespace hiillos::boot {

struct RootOptions {
  // Test builds: when the root process dies, exit QEMU with pass iff its last ThreadExit had
  // code 0 (a fault or kill fails the run).
  bool exit_qemu_on_death = false;
};

// Validates root.elf (lib/elf, user policy), creates its Memory (all free memory minus a kernel
// reserve), Vmem, Process and Thread, maps its segments W^X, a stack and the BootInfo copy,
// inserts the initial capabilities at their documented handles and starts the thread. Needs
// the capability table, the scheduler (sched::Init) and the saved BootInfo. Errors:
// kInvalidArgument (no root.elf module, or it is not a valid user ELF: logged with the reason),
// kOutOfMemory, kNoSlots.
KResult<void> StartRootProcess(const uapi::BootInfo& info, RootOptions options);

}  // namespace hiillos::boot
