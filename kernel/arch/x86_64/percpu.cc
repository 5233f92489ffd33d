// kernel/arch/x86_64/percpu.cc — static PerCpu storage and the IA32_GS_BASE set-up.
#include "kernel/arch/x86_64/percpu.h"

#include "lib/base/atomic.h"
#include "lib/x86/msr.h"

namespace hiillos::arch {
namespace {

// One cache line per record at least, so CPUs do not share lines for their hot fields.
struct alignas(64) PerCpuSlot {
  PerCpu cpu;
};
PerCpuSlot g_percpu[kMaxCpus];
Atomic<uint32_t> g_online_cpus;

}  // namespace

PerCpu& PerCpuRecord(uint32_t index) {
  return g_percpu[index < kMaxCpus ? index : 0].cpu;
}

PerCpu& PerCpuInstall(uint32_t index, uint32_t lapic_id, Tss* tss) {
  PerCpu& cpu = g_percpu[index].cpu;
  cpu.self = &cpu;
  cpu.index = index;
  cpu.lapic_id = lapic_id;
  cpu.tss = tss;
  cpu.probe.Store(nullptr, MemoryOrder::kRelaxed);
  cpu.expected_nmis.Store(0, MemoryOrder::kRelaxed);
  cpu.refuse_next_user_entry.Store(false, MemoryOrder::kRelaxed);
  cpu.current_thread = nullptr;
  for (uint32_t& depth : cpu.ist_depth) depth = 0;
  x86::WriteMsr(x86::kMsrGsBase, reinterpret_cast<uint64_t>(&cpu));
  x86::WriteMsr(x86::kMsrKernelGsBase, 0);
  cpu.initialized.Store(true, MemoryOrder::kRelease);
  g_online_cpus.FetchAdd(1, MemoryOrder::kRelaxed);
  return cpu;
}

PerCpu* CurrentCpuIfReady() {
  uint64_t base = x86::ReadMsr(x86::kMsrGsBase);
  uint64_t first = reinterpret_cast<uint64_t>(&g_percpu[0]);
  uint64_t end = reinterpret_cast<uint64_t>(&g_percpu[kMaxCpus]);
  if (base < first || base >= end || (base - first) % sizeof(PerCpuSlot) != 0) return nullptr;
  PerCpu* cpu = reinterpret_cast<PerCpu*>(base);
  if (!cpu->initialized.Load(MemoryOrder::kAcquire)) return nullptr;
  return cpu;
}

uint32_t OnlineCpuCount() {
  return g_online_cpus.Load(MemoryOrder::kRelaxed);
}

}  // namespace hiillos::arch
