// kernel/arch/x86_64/user_entry.h — entering ring 3 with IRETQ, and sending an interrupted
// ring-3 context back into the kernel (user faults, stop/kill at a tick).
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"
#include "kernel/arch/x86_64/syscall_frame.h"
#include "uapi/syscalls.h"

namespace hiillos::arch {

// User addresses and the RFLAGS user mode may choose: syscall_frame.h (IsCanonicalUser,
// SanitizeUserRflags), shared with the SYSCALL return path.

// Loads `regs` (rip/rsp must be user addresses; rflags is sanitised) and enters ring 3 with
// IRETQ, building the frame just below `kernel_stack_top` (the caller's own stack must lie
// below that frame). Sets IA32_FS_BASE and the user GS base (IA32_KERNEL_GS_BASE, swapped in
// by SWAPGS). Disables interrupts first; IRETQ turns them back on.
[[noreturn]] void EnterUserMode(const uapi::ThreadRegs& regs, uint64_t kernel_stack_top);

// The user register state an interrupt frame from ring 3 holds (FS/GS bases are read from the
// MSRs: call on the CPU the frame was taken on, before anything else runs there).
void UserRegsFromFrame(const InterruptFrame& frame, uapi::ThreadRegs* out);
// The same without the bases (for a frame of a thread that is not running here).
void UserRegsFromSavedFrame(const InterruptFrame& frame, uapi::ThreadRegs* out);

// Rewrites `frame` (from ring 3) so that the interrupt return resumes at `function` in ring 0
// with interrupts off, on a fresh stack ending at `stack_top` (16-byte aligned; RSP is set as
// right after a call). `function` must not return. The interrupted user state is lost: copy it
// first if it is needed.
void RedirectToKernel(InterruptFrame& frame, void (*function)(), uint64_t stack_top);

}  // namespace hiillos::arch
