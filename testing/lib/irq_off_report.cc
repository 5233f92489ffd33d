// testing/lib/irq_off_report.cc — the worst interrupts-off stretch over the run.
#include "testing/lib/irq_off_report.h"

#include "services/lib/print.h"
#include "services/lib/syscalls.h"
#include "uapi/syscalls.h"

namespace hiillos::testing_lib {
namespace {

struct Worst {
  uint64_t ticks = 0;
  uint64_t cpu = 0;
  uint64_t where = 0;
};
Worst g_worst;

const char* KindName(uint64_t where) {
  switch (where >> 56) {
    case uapi::kIrqOffWhereSyscall:
      return "syscall";
    case uapi::kIrqOffWhereInterrupt:
      return "interrupt vector";
    case uapi::kIrqOffWhereWindow:
      return "preemption point";
    default:
      return "nothing";
  }
}

}  // namespace

void IrqOffStartRun() {
  static uapi::IrqOffStats stats;
  (void)rt::SystemIrqOffStats(&stats, uapi::kIrqOffReset);
  g_worst = Worst{};
}

void IrqOffFold() {
  static uapi::IrqOffStats stats;
  if (!rt::SystemIrqOffStats(&stats, 0).ok()) return;
  for (uint64_t cpu = 0; cpu < stats.cpus && cpu < uapi::kIrqOffStatsCpus; ++cpu) {
    if (stats.cpu[cpu].max_ticks > g_worst.ticks) {
      g_worst = Worst{stats.cpu[cpu].max_ticks, cpu, stats.cpu[cpu].where};
    }
  }
}

void IrqOffPrintWorst() {
  IrqOffFold();
  // Under QEMU -icount shift=7 the TSC advances 128 per guest instruction.
  rt::Printf(
      "irq-off max: %lu ticks (%lu guest instructions under -icount) on cpu %lu, from %s %lu",
      g_worst.ticks, g_worst.ticks / 128, g_worst.cpu, KindName(g_worst.where),
      g_worst.where & 0xffff);
}

}  // namespace hiillos::testing_lib
