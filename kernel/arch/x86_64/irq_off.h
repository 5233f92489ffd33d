// kernel/arch/x86_64/irq_off.h — per-CPU accounting of interrupts-off stretches (TSC ticks),
// the interrupt nesting depth, and the interrupt window a preemption point opens.
//
// What is measured: a stretch starts when the CPU enters the kernel from a context that had
// interrupts on (SYSCALL from ring 3; an external interrupt or IPI that arrived with IF = 1,
// from ring 3 or from kernel code such as the idle loop's HLT or a preemption window) and ends
// when the kernel opens interrupts again through OpenInterruptWindow, or returns to a context
// with interrupts on (SYSRET/IRETQ to ring 3, IRETQ into an IF = 1 context, a new thread's
// first entry to ring 3). Other places that set IF (the idle loop's STI;HLT, enable guards in
// tests) are not stamped: the next entry restarts the stretch, so they can only make a stretch
// look longer, never shorter. Exceptions (vectors < 32: #PF, NMI, #MC, #DF...) are not stamped.
//
// Cost: one RDTSC and a few stores per stamp. Ownership: g_irq_off[cpu] is written only by its
// CPU; another CPU reads the maxima and may reset them (relaxed atomics: a sample racing a reset
// may survive it, which is harmless for a statistic).
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_control.h"
#include "kernel/arch/x86_64/percpu.h"
#include "lib/base/atomic.h"
#include "lib/x86/cpu.h"

namespace hiillos::arch {

// Where a stretch started: kind in bits 63:56, detail (syscall number, vector) below.
inline constexpr uint64_t kIrqOffFromSyscall = 1ull << 56;
inline constexpr uint64_t kIrqOffFromInterrupt = 2ull << 56;
inline constexpr uint64_t kIrqOffFromWindow = 3ull << 56;  // after a preemption point

// The open stretch itself (its start and where) is in PerCpu (irq_off_since, irq_off_where).
struct IrqOffCpu {
  Atomic<uint64_t> max_ticks;
  Atomic<uint64_t> max_where;
  uint32_t interrupt_depth = 0;  // external-interrupt handlers running on this CPU's context
};

extern IrqOffCpu g_irq_off[kMaxCpus];

inline IrqOffCpu& ThisCpuIrqOff() {
  return g_irq_off[CurrentCpu()->index];
}

// Interrupts are off from now on (kernel entry from an IF = 1 context, or right after CLI).
inline void IrqOffStretchBegin(uint64_t where) {
  PerCpu* cpu = CurrentCpu();
  cpu->irq_off_since = x86::ReadTsc();
  cpu->irq_off_where = where;
}

// Interrupts are about to be on (STI, or a return to an IF = 1 context).
inline void IrqOffStretchEnd() {
  PerCpu* cpu = CurrentCpu();
  if (cpu->irq_off_since == 0) return;
  uint64_t ticks = x86::ReadTsc() - cpu->irq_off_since;
  cpu->irq_off_since = 0;
  IrqOffCpu& record = g_irq_off[cpu->index];
  if (ticks > record.max_ticks.Load(MemoryOrder::kRelaxed)) {
    record.max_ticks.Store(ticks, MemoryOrder::kRelaxed);
    record.max_where.Store(cpu->irq_off_where, MemoryOrder::kRelaxed);
  }
}

// With interrupts off: ends the stretch, lets pending interrupts in (cross calls, the timer,
// which may switch threads here), disables them again and starts a new stretch.
inline void OpenInterruptWindow() {
  IrqOffStretchEnd();
  x86_64::InterruptControl::ServePending();
  IrqOffStretchBegin(kIrqOffFromWindow);
}

// External-interrupt handlers running on the current thread's context (0 outside of them).
// The scheduler saves and restores it around each context switch (a handler may switch away).
inline uint32_t InterruptDepth() {
  return ThisCpuIrqOff().interrupt_depth;
}
inline void SetInterruptDepth(uint32_t depth) {
  ThisCpuIrqOff().interrupt_depth = depth;
}

struct IrqOffSample {
  uint64_t max_ticks;
  uint64_t where;
};
// The longest stretch CPU `cpu` (< kMaxCpus) had since boot or the last reset.
inline IrqOffSample IrqOffMax(uint32_t cpu) {
  return {g_irq_off[cpu].max_ticks.Load(MemoryOrder::kRelaxed),
          g_irq_off[cpu].max_where.Load(MemoryOrder::kRelaxed)};
}
// Forgets every CPU's maximum.
inline void IrqOffReset() {
  for (uint32_t cpu = 0; cpu < kMaxCpus; ++cpu) {
    g_irq_off[cpu].max_ticks.Store(0, MemoryOrder::kRelaxed);
    g_irq_off[cpu].max_where.Store(0, MemoryOrder::kRelaxed);
  }
}

}  // namespace hiillos::arch
