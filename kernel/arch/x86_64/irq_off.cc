// kernel/arch/x86_64/irq_off.cc — the per-CPU interrupts-off records (irq_off.h).
#include "kernel/arch/x86_64/irq_off.h"

namespace hiillos::arch {

IrqOffCpu g_irq_off[kMaxCpus];

}  // namespace hiillos::arch
