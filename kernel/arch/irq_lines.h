// kernel/arch/irq_lines.h — the architecture interface for hardware interrupts delivered to user
// space (IrqLine objects): resolve a line number, bind it to a hook called from the interrupt
// handler (which first masks the line), unmask it after the driver handled it, unbind; and
// message-signalled interrupts: bind a free vector to a hook, learn the address/data a device
// writes to raise it, unbind. x86-64: IOAPIC lines, kernel/arch/x86_64/user_irq.h (line
// numbering, locking, bounded work); MSIs, kernel/arch/x86_64/user_msi.h.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/user_irq.h"
#include "kernel/arch/x86_64/user_msi.h"

namespace hiillos::arch {

using IrqHook = x86_64::UserIrqHook;
using IrqLineError = x86_64::UserIrqError;
using MsiTarget = x86_64::UserMsiTarget;
using MsiError = x86_64::UserMsiError;

static_assert(requires(uint64_t line, uint32_t gsi, IrqHook hook, void* context) {
  { x86_64::UserIrqResolve(line) } -> SameAs<Result<uint32_t, IrqLineError>>;
  { x86_64::UserIrqBind(gsi, line, hook, context) } -> SameAs<Result<void, IrqLineError>>;
  { x86_64::UserIrqResolveGsi(line) } -> SameAs<Result<uint32_t, IrqLineError>>;
  { x86_64::UserIrqBindGsi(gsi, bool{}, hook, context) } -> SameAs<Result<void, IrqLineError>>;
  { x86_64::UserIrqUnbind(gsi) } -> SameAs<void>;
  { x86_64::UserIrqUnmask(gsi) } -> SameAs<void>;
  { x86_64::UserMsiBind(hook, context) } -> SameAs<Result<MsiTarget, MsiError>>;
  { x86_64::UserMsiUnbind(uint8_t{}) } -> SameAs<void>;
});

// The hardware input `line` arrives on (an id for Bind/Unbind/Unmask). Errors: kNoSuchLine.
inline Result<uint32_t, IrqLineError> ResolveIrqLine(uint64_t line) {
  return x86_64::UserIrqResolve(line);
}
// From now on each interrupt of `input` masks it and calls hook(context) in interrupt context.
// Errors: kBusy (bound already), kNoSuchLine.
inline Result<void, IrqLineError> BindIrqLine(uint32_t input, uint64_t line, IrqHook hook,
                                              void* context) {
  return x86_64::UserIrqBind(input, line, hook, context);
}
// The input of a GSI named by number (16 and above). Errors: kNoSuchLine.
inline Result<uint32_t, IrqLineError> ResolveGsi(uint64_t gsi) {
  return x86_64::UserIrqResolveGsi(gsi);
}
// As BindIrqLine for a GSI from ResolveGsi: level-triggered, `active_low` polarity.
inline Result<void, IrqLineError> BindGsi(uint32_t input, bool active_low, IrqHook hook,
                                          void* context) {
  return x86_64::UserIrqBindGsi(input, active_low, hook, context);
}
// Masks `input` and drops its hook; when this returns, the hook no longer runs.
inline void UnbindIrqLine(uint32_t input) {
  x86_64::UserIrqUnbind(input);
}
// Lets the next interrupt of a bound `input` through.
inline void UnmaskIrqLine(uint32_t input) {
  x86_64::UserIrqUnmask(input);
}

// Binds a free MSI vector to `hook(context)` (called in interrupt context per message; nothing
// is masked: MSIs are edges). Errors: kNoFreeVector.
inline Result<MsiTarget, MsiError> BindMsi(IrqHook hook, void* context) {
  return x86_64::UserMsiBind(hook, context);
}
// Frees `vector` (MsiTarget::vector); when this returns, the hook no longer runs.
inline void UnbindMsi(uint8_t vector) {
  x86_64::UserMsiUnbind(vector);
}

}  // namespace hiillos::arch
