// kernel/object/tlb.h — FlushTlb: makes every CPU forget translations of a user address range
// after its page-table entries were removed (before the frames are reused).
//
// Only the CPUs that have the address space loaded take part (arch::UserTlbShootdown): this
// one directly, the others through a cross call; none at all when no other CPU runs it. A CPU
// running another address space has no entries to flush (user pages are never global and CR3
// loads drop the rest). Must be called with no spinlock held that another CPU may wait for with
// interrupts off (it could not answer).
#pragma once

#include <stdint.h>

namespace hiillos::object {

void FlushTlb(uint64_t root, uint64_t base, uint64_t size);

}  // namespace hiillos::object
