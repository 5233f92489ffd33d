// kernel/object/tlb.cc — user TLB shootdown (tlb.h), through the architecture interface.
#include "kernel/object/tlb.h"

#include "kernel/arch/address_space.h"

namespace hiillos::object {

void FlushTlb(uint64_t root, uint64_t base, uint64_t size) {
  arch::UserTlbShootdown(root, base, size);
}

}  // namespace hiillos::object
