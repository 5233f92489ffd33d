// kernel/arch/x86_64/user_entry.h — entering ring 3 with IRETQ, and sending an interrupted
// ring-3 context back into the kernel (user faults, stop/kill at a tick).
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"
#include "uapi/syscalls.h"

namespace hiillos::arch {

// Highest canonical lower-half address + 1 (48-bit virtual addresses, SDM Vol.1 §3.3.7.1).
inline constexpr uint64_t kUserAddressEnd = 0x0000'8000'0000'0000ull;
inline bool IsUserAddress(uint64_t address) {
  return address < kUserAddressEnd;
}

// RFLAGS bits user mode may choose (CF PF AF ZF SF DF OF AC); IF and the reserved bit 1 are
// always set; IOPL, NT, TF, RF, VM, VIF, VIP, ID are always clear (SDM Vol.1 §3.4.3).
inline constexpr uint64_t kUserRflagsMask = 0x0000'0000'0004'0cd5ull;
inline constexpr uint64_t kRflagsFixed = 0x202;  // IF | reserved bit 1
inline uint64_t SanitizeUserRflags(uint64_t rflags) {
  return (rflags & kUserRflagsMask) | kRflagsFixed;
}

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
