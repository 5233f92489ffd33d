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

// Invalidates every translation of this CPU, global ones included.
void FlushLocalTlb();

// Shootdowns started and remote invalidations served (tests and diagnostics).
uint64_t TlbShootdownsSent();
uint64_t TlbInvalidationsServed(uint32_t cpu_index);

}  // namespace hiillos::arch
