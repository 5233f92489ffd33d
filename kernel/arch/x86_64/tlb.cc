// kernel/arch/x86_64/tlb.cc — local INVLPG / full flush, broadcast with a cross call.
#include "kernel/arch/x86_64/tlb.h"

#include "kernel/arch/interrupts.h"
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

constexpr uint64_t kCr3RootMask = 0x000f'ffff'ffff'f000ull;  // CR3 bits 51:12

struct UserRange {
  uint64_t root;
  uint64_t base;
  uint64_t size;
};

Atomic<uint64_t> g_user_sent;

// This CPU's translations of a user range, if `root` is its CR3 (user pages are never global,
// so a CR3 reload drops all of them).
void InvalidateUserLocal(uint64_t root, uint64_t base, uint64_t size) {
  uint64_t cr3 = ReadCr3();
  if ((cr3 & kCr3RootMask) != root) return;
  if (size / kPageSize > kTlbFullFlushThreshold) {
    WriteCr3(cr3);
    return;
  }
  for (uint64_t offset = 0; offset < size; offset += kPageSize) InvalidatePage(base + offset);
}

void InvalidateUserRemote(void* arg) {
  const UserRange* range = static_cast<const UserRange*>(arg);
  InvalidateUserLocal(range->root, range->base, range->size);
}

}  // namespace

void ShootdownUserRange(uint64_t root, uint64_t base, uint64_t size) {
  if (size == 0) return;
  InterruptGuard off;  // "this CPU" below stays this CPU
  InvalidateUserLocal(root, base, size);
  const uint64_t online = OnlineCpuMask();
  const uint32_t self = CurrentCpu()->index;
  if ((online & ~(1ull << self)) == 0) return;
  // The caller's page-table stores before the reads of the published roots (see tlb.h).
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  uint64_t targets = 0;
  for (uint64_t rest = online & ~(1ull << self); rest != 0; rest &= rest - 1) {
    const uint32_t index = static_cast<uint32_t>(__builtin_ctzll(rest));
    const PerCpu& cpu = PerCpuRecord(index);
    if (cpu.active_root.Load(MemoryOrder::kAcquire) == root ||
        cpu.leaving_root.Load(MemoryOrder::kAcquire) == root) {
      targets |= 1ull << index;
    }
  }
  if (targets == 0) return;
  g_user_sent.FetchAdd(1, MemoryOrder::kRelaxed);
  UserRange range{root, base, size};
  RunOnCpus(targets, InvalidateUserRemote, &range);
}

uint64_t UserTlbShootdownsSent() {
  return g_user_sent.Load(MemoryOrder::kRelaxed);
}

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
