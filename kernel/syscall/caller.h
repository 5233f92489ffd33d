// kernel/syscall/caller.h — who is calling: the current user thread's process (its id is the
// capability-table owner every lookup is made for).
#pragma once

#include "kernel/object/process.h"
#include "kernel/panic/assert.h"

namespace hiillos::syscall {

// Only user threads make syscalls, so there always is a process.
inline object::Process& Caller() {
  object::Process* process = object::CurrentProcess();
  ASSERT(process != nullptr, "syscall from a kernel context (no calling process)");
  return *process;
}

}  // namespace hiillos::syscall
