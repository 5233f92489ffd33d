// kernel/syscall/caller.h — who is calling: the current user thread's process (its id is the
// capability-table owner every lookup is made for).
#pragma once

#include "kernel/object/process.h"

namespace hiillos::syscall {

// Only user threads make syscalls, so there always is a process.
inline object::Process& Caller() {
  object::Process* process = object::CurrentProcess();
  if (process == nullptr) __builtin_trap();  // SYSCALL from a kernel context: kernel bug
  return *process;
}

}  // namespace hiillos::syscall
