// testing/lib/irq_off_report.h — a guest test's record of the kernel's longest
// interrupts-off stretch (SystemIrqOffStats): reset at the start of the run, folded in before
// any case resets it, printed at the end (docs/interrupts-off.md).
#pragma once

#include <stdint.h>

namespace hiillos::testing_lib {

// Forgets the kernel's maxima (the boot's stretches are not the suite's).
void IrqOffStartRun();
// Keeps the worst stretch the kernel reports now (call before resetting the kernel's record).
void IrqOffFold();
// Folds and prints "irq-off max: N ticks (N/128 guest instructions under -icount) ...".
void IrqOffPrintWorst();

}  // namespace hiillos::testing_lib
