// kernel/arch/x86_64/user_fault.h — the hook that turns an exception raised in ring 3 into a
// thread kill instead of a kernel panic.
//
// The exception dispatcher (interrupt_dispatch.cc) calls DispatchUserFault for every
// exception whose frame comes from CPL 3, except NMI, #DF and #MC (never the thread's doing).
// The handler (the scheduler's, set once at boot) returns true if it took the fault; it then
// usually rewrote the frame (user_entry.h RedirectToKernel) so the thread ends in ring 0 once
// the exception returns. Without a handler, or if it returns false, the kernel panics as
// before.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"

namespace hiillos::arch {

using UserFaultHandler = bool (*)(InterruptFrame& frame, uint64_t vector, uint64_t cr2);

void SetUserFaultHandler(UserFaultHandler handler);

// See above. `cr2` is the page-fault address (0 for other vectors).
bool DispatchUserFault(InterruptFrame& frame, uint64_t cr2);

}  // namespace hiillos::arch
