// kernel/syscall/entry.h — SyscallDispatch: the generic kernel's handler for the architecture's
// SYSCALL entry, installed into arch::KernelServices at boot (kernel/arch_services.cc).
#pragma once

#include <stdint.h>

#include "kernel/arch/trap_frame.h"

// Called by the SYSCALL entry with interrupts off, on the thread's kernel stack, with the
// saved user frame. Returns 1 to leave with SYSRETQ, 0 for IRETQ.
extern "C" uint64_t SyscallDispatch(hiillos::arch::InterruptFrame* frame);
