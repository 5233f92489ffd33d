// kernel/arch/irq_off.h — the architecture interface for bounded interrupts-off work: the
// interrupt window a preemption point opens (sched::PreemptionPoint builds on it), whether the
// current context is an interrupt handler, and the per-CPU record of the longest
// interrupts-off stretch (docs/interrupts-off.md).
//
// From the implementation (kernel/arch/x86_64/irq_off.h): OpenInterruptWindow, InterruptDepth,
// SetInterruptDepth, IrqOffStretchBegin, IrqOffStretchEnd, IrqOffMax, IrqOffReset,
// kIrqOffFrom*.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/irq_off.h"

namespace hiillos::arch {

static_assert(requires(uint32_t cpu, uint64_t where) {
  { OpenInterruptWindow() } -> SameAs<void>;
  { InterruptDepth() } -> SameAs<uint32_t>;
  { SetInterruptDepth(cpu) } -> SameAs<void>;
  { IrqOffStretchBegin(where) } -> SameAs<void>;
  { IrqOffStretchEnd() } -> SameAs<void>;
  { IrqOffMax(cpu) } -> SameAs<IrqOffSample>;
  { IrqOffReset() } -> SameAs<void>;
});

}  // namespace hiillos::arch
