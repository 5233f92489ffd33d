// kernel/mm/deferred_table_pages.h — page-table pages unlinked by an unmap but not yet freed:
// another CPU's paging-structure caches may still point at them until the TLB shootdown is done
// (SDM Vol.3A §4.10.4), so they go back to the PMM only after it.
#pragma once

#include <stdint.h>

#include "kernel/mm/pmm.h"

namespace hiillos::mm {

class DeferredTablePages {
 public:
  DeferredTablePages() = default;
  DeferredTablePages(const DeferredTablePages&) = delete;
  DeferredTablePages& operator=(const DeferredTablePages&) = delete;

  // Links the (empty) table page through its first entry: a physical address with bit 0 clear,
  // so a walker that still reaches the page sees a not-present entry.
  void Push(uint64_t phys) {
    *static_cast<uint64_t*>(PhysToVirt(phys)) = head_;
    head_ = phys;
  }

  // Frees every collected page (call after the TLB shootdown); returns how many.
  uint64_t Release() {
    uint64_t count = 0;
    while (head_ != 0) {
      uint64_t page = head_;
      head_ = *static_cast<uint64_t*>(PhysToVirt(page));
      auto freed = FreePages(page, 0);
      (void)freed;  // a table page lib/paging got from AllocTablePage
      ++count;
    }
    return count;
  }

 private:
  uint64_t head_ = 0;  // physical page 0 is never a table page (the PMM skips low memory)
};

}  // namespace hiillos::mm
