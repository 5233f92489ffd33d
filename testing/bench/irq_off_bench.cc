// testing/bench/irq_off_bench.cc — the longest stretch any CPU ran kernel code with interrupts
// off during the whole benchmark run (SystemIrqOffStats, docs/interrupts-off.md): reset at the
// start, read at the end. Reported as a row whose median and minimum are that one maximum.
#include "testing/bench/bench_cases.h"
#include "testing/bench/measure.h"
#include "uapi/syscalls.h"

namespace hiillos::bench {
namespace {

uapi::IrqOffStats g_stats;
Samples g_worst;

}  // namespace

void IrqOffReset() {
  (void)rt::SystemIrqOffStats(&g_stats, uapi::kIrqOffReset);
}

bool IrqOffWorstCase() {
  const char* name = "longest interrupts-off stretch, any CPU, whole benchmark run";
  if (!rt::SystemIrqOffStats(&g_stats, 0).ok()) {
    ReportMissing(name, "SystemIrqOffStats failed");
    return false;
  }
  uint64_t worst = 0;
  uint64_t worst_cpu = 0;
  for (uint64_t cpu = 0; cpu < g_stats.cpus && cpu < uapi::kIrqOffStatsCpus; ++cpu) {
    if (g_stats.cpu[cpu].max_ticks > worst) {
      worst = g_stats.cpu[cpu].max_ticks;
      worst_cpu = cpu;
    }
  }
  // Where it began (uapi::IrqOffCpu::where): shown under the table.
  const uint64_t where = g_stats.cpu[worst_cpu].where;
  const uint64_t kind = where >> 56;
  Note("longest interrupts-off stretch: cpu %lu, opened by %s %lu", worst_cpu,
       kind == uapi::kIrqOffWhereSyscall     ? "syscall number"
       : kind == uapi::kIrqOffWhereInterrupt ? "interrupt vector"
       : kind == uapi::kIrqOffWhereWindow    ? "a preemption point, detail"
                                             : "nothing, detail",
       where & 0xffff);
  g_worst.Clear();
  g_worst.Add(worst);
  g_worst.Finish();
  Report(name, g_worst, nullptr);
  return true;
}

}  // namespace hiillos::bench
