// kernel/arch/x86_64/irq_off.cc — the per-CPU interrupts-off records (irq_off.h).
#include "kernel/arch/x86_64/irq_off.h"

#include <stddef.h>

namespace hiillos::arch {

IrqOffCpu g_irq_off[kMaxCpus];

// The SYSCALL entry (syscall_entry.S) stamps its stretch itself, from these layouts: keep them
// in sync with the .set lines there.
static_assert(offsetof(PerCpu, index) == 0x20);
static_assert(offsetof(PerCpu, irq_off_since) == 0x58 && offsetof(PerCpu, irq_off_where) == 0x60);
static_assert(sizeof(IrqOffCpu) == 24 && offsetof(IrqOffCpu, max_ticks) == 0 &&
              offsetof(IrqOffCpu, max_where) == 8);
static_assert(sizeof(Atomic<uint64_t>) == sizeof(uint64_t));
static_assert(kIrqOffFromSyscall == 1ull << 56);

}  // namespace hiillos::arch
