// kernel/arch/x86_64/tlb.cc — local INVLPG / full flush, broadcast with a cross call.
#include "kernel/arch/x86_64/tlb.h"

#include "kernel/arch/x86_64/ipi.h"
#include "kernel/arch/x86_64/mmu.h"
#include "kernel/arch/x86_64/percpu.h"
#include "lib/base/atomic.h"
#include "lib/base/page_size.h"
#include "lib/x86/control_registers.h"

namespace hiillos::arch {
namespace {

struct Range {
  uint64_t virt;
  uint64_t pages;
};

Atomic<uint64_t> g_sent;
struct alignas(64) Served {
  Atomic<uint64_t> count;
};
Served g_served[kMaxCpus];

void InvalidateLocal(uint64_t virt, uint64_t pages) {
  if (pages > kTlbFullFlushThreshold) {
    FlushLocalTlb();
    return;
  }
  for (uint64_t i = 0; i < pages; ++i) InvalidatePage(virt + i * kPageSize);
}

void InvalidateRemote(void* arg) {
  const Range* range = static_cast<const Range*>(arg);
  InvalidateLocal(range->virt, range->pages);
  PerCpu* cpu = CurrentCpuIfReady();
  if (cpu != nullptr) g_served[cpu->index].count.FetchAdd(1, MemoryOrder::kRelaxed);
}

}  // namespace

void FlushLocalTlb() {
  uint64_t cr4 = x86::ReadCr4();
  if (cr4 & x86::kCr4Pge) {
    // Toggling CR4.PGE flushes global entries too (SDM Vol.3A §4.10.4.1).
    x86::WriteCr4(cr4 & ~x86::kCr4Pge);
    x86::WriteCr4(cr4);
  } else {
    WriteCr3(ReadCr3());
  }
}

void TlbShootdown(uint64_t virt, uint64_t pages) {
  if (pages == 0) return;
  InvalidateLocal(virt, pages);
  // Before SMP start-up no other CPU is online and this sends nothing. Once one is, every CPU
  // that runs kernel code has per-CPU data (RunOnOtherCpus needs it).
  if (OnlineCpus() <= 1) return;
  g_sent.FetchAdd(1, MemoryOrder::kRelaxed);
  Range range{virt, pages};
  RunOnOtherCpus(InvalidateRemote, &range);
}

uint64_t TlbShootdownsSent() {
  return g_sent.Load(MemoryOrder::kRelaxed);
}

uint64_t TlbInvalidationsServed(uint32_t cpu_index) {
  if (cpu_index >= kMaxCpus) return 0;
  return g_served[cpu_index].count.Load(MemoryOrder::kRelaxed);
}

}  // namespace hiillos::arch
