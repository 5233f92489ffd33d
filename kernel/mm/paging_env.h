// kernel/mm/paging_env.h — lib/paging's environment in the kernel: table pages from the PMM,
// physical memory reached through the HHDM.
#pragma once

#include <stdint.h>

#include "kernel/mm/deferred_table_pages.h"
#include "kernel/mm/pmm.h"
#include "lib/base/page_size.h"
#include "lib/base/result.h"
#include "lib/paging/types.h"

namespace hiillos::mm {

// With `deferred` set, freed table pages wait there for the TLB shootdown instead of going
// straight back to the PMM.
struct KernelPagingEnv {
  DeferredTablePages* deferred = nullptr;

  Result<uint64_t, paging::Error> AllocTablePage() {
    auto page = AllocatePages(0, PageUse::kPageTable);
    if (!page.ok()) return Err(paging::Error::kOutOfMemory);
    __builtin_memset(PhysToVirt(page.value()), 0, kPageSize);
    return page.value();
  }
  void FreeTablePage(uint64_t phys) {
    if (deferred != nullptr) {
      deferred->Push(phys);
      return;
    }
    auto freed = FreePages(phys, 0);
    (void)freed;  // lib/paging only frees pages it allocated through us
  }
  void* PhysToVirt(uint64_t phys) { return mm::PhysToVirt(phys); }
};

}  // namespace hiillos::mm
