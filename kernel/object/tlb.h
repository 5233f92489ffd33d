// kernel/object/tlb.h — FlushTlb: makes every CPU forget translations of a user address range
// after its page-table entries were removed (before the frames or table pages are reused).
//
// Every online CPU (this one directly, the others through a cross call, arch/x86_64/ipi.h)
// flushes the range if its CR3 is `root` (INVLPG per page, or a CR3 reload for large ranges);
// returns when all have. A CPU running another address space has no entries to flush (user
// pages are never global and CR3 loads drop the rest). Must be called with no spinlock held
// that another CPU may wait for with interrupts off (it could not answer).
#pragma once

#include <stdint.h>

namespace hiillos::object {

void FlushTlb(uint64_t root, uint64_t base, uint64_t size);

// The per-CPU part: flushes [base, base + size) on the calling CPU if its CR3 is `root`.
void FlushTlbLocal(uint64_t root, uint64_t base, uint64_t size);

}  // namespace hiillos::object
