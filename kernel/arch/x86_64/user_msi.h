// kernel/arch/x86_64/user_msi.h — message-signalled interrupts handed to user space (IrqLine
// objects of the MSI kind): a free vector of kFirstMsiVector..kLastMsiVector is bound to a hook
// and delivered to the boot CPU; the device raises it by writing the returned data word to the
// returned address (SDM Vol.3A §10.11: physical destination, fixed delivery, edge triggered).
//
// MSIs are edges: nothing stays asserted, so nothing is masked in the handler. Its work is
// bounded: one hook call, one EOI. A driver that wants no more interrupts masks them in its
// device (MSI-X vector control, or the MSI enable bit).
//
// Locking: one IrqSpinLock per vector guards its binding; the interrupt handler holds it while
// it calls the hook, so after UserMsiUnbind returns the hook is never called again with the old
// context. Lock order: a vector's lock before any wait-queue lock (the hook wakes threads).
#pragma once

#include <stdint.h>

#include "lib/base/result.h"

namespace hiillos::arch::x86_64 {

using UserMsiHook = void (*)(void* context);

struct UserMsiTarget {
  uint8_t vector;
  uint64_t address;  // the MSI address register value
  uint32_t data;     // the MSI data register value
};

enum class UserMsiError : uint8_t {
  kNoFreeVector,  // every MSI vector is bound
};

// Binds a free vector to `hook(context)` and returns where the device must write to raise it.
// Errors: kNoFreeVector.
Result<UserMsiTarget, UserMsiError> UserMsiBind(UserMsiHook hook, void* context);
// Forgets `vector`'s hook (waits for a running handler to finish); the vector is free again.
void UserMsiUnbind(uint8_t vector);

}  // namespace hiillos::arch::x86_64
