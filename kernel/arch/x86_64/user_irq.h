// kernel/arch/x86_64/user_irq.h — interrupt lines handed to user space (IrqLine objects): an
// IOAPIC GSI routed to its own vector on the boot CPU, whose interrupt masks the line, sends
// EOI and calls the hook the generic kernel bound (which signals a Notify). The line stays
// masked until the driver acknowledges (UserIrqUnmask), so a level-triggered device cannot
// storm and the handler's work is bounded: one IOAPIC write, one hook call, one EOI.
//
// Line numbers: 0-15 are ISA IRQs, resolved through the MADT's interrupt source overrides
// (IRQ 1, the PS/2 keyboard, may arrive on another GSI); 16 and above are GSIs, programmed
// level-triggered and active low by UserIrqBind (ACPI's default for PCI INTx), or with the
// polarity the caller read from ACPI by UserIrqBindGsi (q35's GSI links say active high).
// Vector = kFirstDeviceVector + GSI, so GSIs up to kLastDeviceVector - kFirstDeviceVector are
// usable.
//
// Locking: one IrqSpinLock per GSI guards its binding; the interrupt handler holds it while it
// calls the hook, so after UserIrqUnbind returns the hook is never called again with the old
// context. Lock order: a line's lock before any wait-queue lock (the hook wakes threads).
#pragma once

#include <stdint.h>

#include "lib/base/result.h"

namespace hiillos::arch::x86_64 {

using UserIrqHook = void (*)(void* context);

enum class UserIrqError : uint8_t {
  kNoSuchLine,  // no IOAPIC input (or no vector) for this line
  kBusy,        // the line's GSI is bound already
};

// The GSI `line` arrives on. Errors: kNoSuchLine.
Result<uint32_t, UserIrqError> UserIrqResolve(uint64_t line);
// Routes `gsi` (from UserIrqResolve) to its vector on the boot CPU, binds `hook(context)` and
// unmasks it. Errors: kBusy, kNoSuchLine.
Result<void, UserIrqError> UserIrqBind(uint32_t gsi, uint64_t line, UserIrqHook hook,
                                       void* context);
// A GSI named by number (IrqGsiBind): 16 and above, an IOAPIC input with a vector. Errors:
// kNoSuchLine.
Result<uint32_t, UserIrqError> UserIrqResolveGsi(uint64_t gsi);
// As UserIrqBind for a GSI from UserIrqResolveGsi: level-triggered, with the given polarity
// (from the firmware's description of the line, e.g. ACPI _PRT). Errors: kBusy, kNoSuchLine.
Result<void, UserIrqError> UserIrqBindGsi(uint32_t gsi, bool active_low, UserIrqHook hook,
                                          void* context);
// Masks `gsi` and forgets its hook (waits for a running handler to finish).
void UserIrqUnbind(uint32_t gsi);
// Unmasks a bound `gsi` (the driver handled the interrupt).
void UserIrqUnmask(uint32_t gsi);

}  // namespace hiillos::arch::x86_64
