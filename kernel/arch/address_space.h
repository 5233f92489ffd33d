// kernel/arch/address_space.h — the architecture interface for the MMU: which page-table root
// is active, switching it, and TLB invalidation (the CPUs that have a user address space loaded,
// every CPU for the kernel half). Page-table formats themselves live in lib/paging.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/address_space.h"

namespace hiillos::arch {

template <typename T>
concept AddressSpaceControlApi = requires(uint64_t root, uint64_t base, uint64_t size) {
  { T::ActiveRoot() } -> SameAs<uint64_t>;
  { T::Activate(root) } -> SameAs<void>;
  { T::Shootdown(root, base, size) } -> SameAs<void>;
  { T::ShootdownKernel(base, size) } -> SameAs<void>;
  { T::HasGigabytePages() } -> SameAs<bool>;
};

using AddressSpaceControl = x86_64::AddressSpaceControl;
static_assert(AddressSpaceControlApi<AddressSpaceControl>);

// Physical address of the active top-level page table.
inline uint64_t ActiveAddressSpaceRoot() {
  return AddressSpaceControl::ActiveRoot();
}
// Makes `root` the active page-table root (drops non-global translations).
inline void SwitchAddressSpace(uint64_t root) {
  AddressSpaceControl::Activate(root);
}
// Invalidates the translations of [base, base + size) of the address space at `root` on every
// CPU that may hold them (only those that have it loaded; this CPU without a cross call) and
// returns once all have. Call after changing its page tables, before reusing the old frames;
// never while holding a spinlock another CPU may wait for with interrupts off.
inline void UserTlbShootdown(uint64_t root, uint64_t base, uint64_t size) {
  AddressSpaceControl::Shootdown(root, base, size);
}
// Invalidates kernel translations of `pages` pages at `virt` on every online CPU; never while
// holding a spinlock another CPU may wait for with interrupts off (docs/locking.md).
inline void KernelTlbShootdown(uint64_t virt, uint64_t pages) {
  AddressSpaceControl::ShootdownKernel(virt, pages);
}
// Whether the MMU maps 1 GiB pages.
inline bool HasGigabytePages() {
  return AddressSpaceControl::HasGigabytePages();
}

}  // namespace hiillos::arch
