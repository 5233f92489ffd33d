// kernel/arch/x86_64/syscall_frame.h — the SYSCALL entry's register frame (an InterruptFrame
// with vector kSyscallVector) and the checks on its way back to ring 3. Pure, host-tested.
//
// SYSCALL (SDM Vol.2B "SYSCALL", Vol.3A §5.8.8) loads RIP from IA32_LSTAR, saves the user RIP in
// RCX and RFLAGS in R11, masks RFLAGS with IA32_FMASK and does not switch stacks. The entry
// (syscall_entry.S) switches to the thread's kernel stack and saves a complete InterruptFrame,
// so a thread in a syscall looks to the scheduler exactly like one interrupted in ring 3.
// SYSRET is only used when it restores exactly what IRETQ would (UseSysret); it cannot load a
// non-canonical RIP safely (on Intel the #GP would be taken in ring 0 on the user stack).
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"
#include "kernel/arch/x86_64/segments.h"

namespace hiillos::arch {

// InterruptFrame::vector of a syscall frame (no real vector is > 255).
inline constexpr uint64_t kSyscallVector = 0x100;

// RFLAGS bits (SDM Vol.1 §3.4.3).
inline constexpr uint64_t kRflagsCarry = 1ull << 0;
inline constexpr uint64_t kRflagsReserved1 = 1ull << 1;  // always 1
inline constexpr uint64_t kRflagsParity = 1ull << 2;
inline constexpr uint64_t kRflagsAdjust = 1ull << 4;
inline constexpr uint64_t kRflagsZero = 1ull << 6;
inline constexpr uint64_t kRflagsSign = 1ull << 7;
inline constexpr uint64_t kRflagsTrap = 1ull << 8;
inline constexpr uint64_t kRflagsIf = 1ull << 9;
inline constexpr uint64_t kRflagsDirection = 1ull << 10;
inline constexpr uint64_t kRflagsOverflow = 1ull << 11;
inline constexpr uint64_t kRflagsIopl = 3ull << 12;
inline constexpr uint64_t kRflagsNestedTask = 1ull << 14;
inline constexpr uint64_t kRflagsAc = 1ull << 18;

// IA32_FMASK: cleared on SYSCALL entry (interrupts stay off until the kernel is ready; no
// single-step, direction, alignment check/SMAP override or nested-task flag from user mode).
inline constexpr uint64_t kSyscallFlagMask =
    kRflagsTrap | kRflagsIf | kRflagsDirection | kRflagsIopl | kRflagsNestedTask | kRflagsAc;

// User-controllable flags kept on the way back; IF and bit 1 are forced on, everything else
// (IOPL, NT, RF, VM, VIF, VIP, ID, TF) off.
inline constexpr uint64_t kUserRflagsKept = kRflagsCarry | kRflagsParity | kRflagsAdjust |
                                            kRflagsZero | kRflagsSign | kRflagsDirection |
                                            kRflagsOverflow | kRflagsAc;

constexpr uint64_t SanitizeUserRflags(uint64_t rflags) {
  return (rflags & kUserRflagsKept) | kRflagsIf | kRflagsReserved1;
}

// Below the non-canonical hole: the only RIPs/RSPs a user frame may return to.
constexpr bool IsCanonicalUser(uint64_t address) {
  return address < 0x0000'8000'0000'0000ull;
}

// Makes `frame` safe to return to ring 3 with: user selectors, sanitised RFLAGS. Returns true
// when SYSRETQ restores the same state as IRETQ would (RCX == RIP, R11 == RFLAGS, canonical
// user RIP); otherwise the exit must use IRETQ. A non-canonical RIP/RSP makes IRETQ fault in
// ring 3 (the thread is killed), never in ring 0.
constexpr bool PrepareUserReturn(InterruptFrame& frame) {
  frame.cs = kUserCodeSelector;
  frame.ss = kUserDataSelector;
  frame.rflags = SanitizeUserRflags(frame.rflags);
  return frame.rcx == frame.rip && frame.r11 == frame.rflags && IsCanonicalUser(frame.rip);
}

// The end of a system call in one pass: the state `rcx = rip; r11 = SanitizeUserRflags(rflags);
// PrepareUserReturn(frame)` leaves (SYSCALL clobbers RCX and R11, the ABI says so), and the same
// answer: SYSRETQ exactly when RIP is a canonical user address.
constexpr bool PrepareSyscallReturn(InterruptFrame& frame) {
  const uint64_t rflags = SanitizeUserRflags(frame.rflags);
  frame.cs = kUserCodeSelector;
  frame.ss = kUserDataSelector;
  frame.rflags = rflags;
  frame.r11 = rflags;
  frame.rcx = frame.rip;
  return IsCanonicalUser(frame.rip);
}

}  // namespace hiillos::arch
