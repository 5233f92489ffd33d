// kernel/panic/panic.h — Panic(): stop the machine with a full register dump and backtrace.
//
// The dump goes straight to the serial port (no log lock), other CPUs are stopped through a hook
// the SMP code installs (an NMI IPI: their NMI handler calls HaltIfPanicking), after the dump
// each of them prints where the NMI found it, one at a time (cpu_reports.h), and in test mode
// (`hiillos.test=...`) QEMU exits with failure. Re-entrant: a panic on a CPU that is already
// panicking (e.g. a fault while printing the dump) prints one line and halts; a panic on a
// second CPU while another is dumping just halts that CPU.
//
// Only for kernel invariants (ASSERT) and unrecoverable faults: never for bad user input.
#pragma once

#include <stdarg.h>

#include "kernel/arch/trap_frame.h"

namespace hiillos::panic {

// Prints "panic: <message>", the caller's registers and backtrace, then stops (see above).
[[noreturn]] void Panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
[[noreturn]] void VPanic(const char* fmt, va_list args);

// Test mode: a panic ends the QEMU run with the failure verdict. Set by KernelMain.
void SetTestMode(bool test_mode);
bool TestMode();

// Called once by the panicking CPU before the dump, to stop every other CPU (NMI broadcast).
void SetHaltOtherCpusHook(void (*hook)());

// True while a panic is in progress (on any CPU).
bool InProgress();
// For NMI handlers, with the interrupted frame: if another CPU is panicking, parks this CPU,
// prints its report when the panicking CPU asks (cpu_reports.h) and halts; else returns.
void HaltIfPanicking(const arch::InterruptFrame& interrupted);

// The exception path: an exception nobody handled (kernel/arch/x86_64 exception handler).
[[noreturn]] void PanicFromException(const arch::InterruptFrame& frame, uint64_t cr2);

// ASSERT's slow path (assert.h) is panic::AssertionFailed, declared there.

}  // namespace hiillos::panic
