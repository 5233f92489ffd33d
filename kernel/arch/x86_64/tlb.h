// kernel/arch/x86_64/tlb.h — TLB shootdown: invalidate kernel translations on every online CPU.
#pragma once

#include <stdint.h>

namespace hiillos::arch {

// More pages than this flush the whole TLB instead of page by page.
inline constexpr uint64_t kTlbFullFlushThreshold = 32;

// Invalidates the translations of [virt, virt + pages * 4 KiB) on this CPU, then on every other
// online CPU through a cross call (ipi.h), and returns once all have done it. Call after the
// page-table change is visible and before the old physical pages are reused. Must not be called
// while holding a spinlock another CPU may wait for with interrupts off (ipi.h).
void TlbShootdown(uint64_t virt, uint64_t pages);

// Invalidates the translations of [base, base + size) in the user address space whose PML4 is
// at `root`, on every CPU that may hold them, and returns once all have done it: this CPU
// (INVLPG per page, a CR3 reload above the threshold) if its CR3 is `root`, and through a
// cross call only the other CPUs whose published root (PerCpu::active_root, or leaving_root
// mid-switch) is `root`. No IPI at all when no other CPU has the space loaded. Correct against a
// concurrent switch to `root` (Dekker): the caller's page-table stores, then a full fence, then
// the reads of the published roots here; a switching CPU publishes, then writes CR3 (which
// serialises) before its first walk. So either this call sees it and interrupts it, or its walks
// see the new entries. Call after the page-table change and before the old frames or tables are
// reused; not while holding a spinlock another CPU may wait for with interrupts off (ipi.h).
void ShootdownUserRange(uint64_t root, uint64_t base, uint64_t size);

// Invalidates every translation of this CPU, global ones included.
void FlushLocalTlb();

// Shootdowns started and remote invalidations served (tests and diagnostics).
uint64_t TlbShootdownsSent();
// User shootdowns that needed a cross call (ShootdownUserRange with another CPU on the space).
uint64_t UserTlbShootdownsSent();
uint64_t TlbInvalidationsServed(uint32_t cpu_index);

}  // namespace hiillos::arch
