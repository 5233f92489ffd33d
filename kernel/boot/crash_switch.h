// kernel/boot/crash_switch.h — `hiillos.crash=KIND`: crash on purpose to exercise the panic path.
//
// KIND is one of: pagefault (write to an unmapped address), ud (ud2), gp (non-canonical read),
// divide (divide by zero), stack (#PF with a garbage RSP: only the IST stack saves the handler),
// badframe (#PF with RBP pointing at unmapped memory: the backtrace's own faults are absorbed),
// panic (Panic()), assert (a failing ASSERT), crosscall (CPU 1 spins with interrupts off and a
// cross call to it times out: the panic's report of the other CPUs; needs 2 CPUs). Unknown
// kinds are logged and ignored.
#pragma once

#include "kernel/boot/command_line.h"

namespace hiillos::boot {

// The address the `pagefault` crash writes to (boot tests look for it in the CR2 line).
inline constexpr unsigned long kCrashPageFaultAddress = 0xdead'b000;
// The frame pointer the `badframe` crash sets (kernel half, unmapped).
inline constexpr unsigned long kCrashBadFramePointer = 0xffff'ffff'7fff'0000;

// Crashes as requested by `hiillos.crash=` on the command line; returns if there is none.
void CrashIfRequested(const boot::CommandLine& command_line);

}  // namespace hiillos::boot
