// bootloader/table_pool.h — a lib/paging Env over one contiguous run of pages, for the kernel's
// first page tables. Memory is identity mapped where a loader runs (UEFI after its own set-up,
// the multiboot shim after its 32-bit entry), so a table's physical address is also where it is
// written. Shared by both loaders; lives until hand-off.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/paging/types.h"

namespace hiillos::loader {

class TablePool {
 public:
  TablePool(uint64_t base, uint64_t pages) : base_(base), pages_(pages) {}

  Result<uint64_t, paging::Error> AllocTablePage();
  void FreeTablePage(uint64_t phys);
  void* PhysToVirt(uint64_t phys) { return reinterpret_cast<void*>(phys); }

 private:
  uint64_t base_;
  uint64_t pages_;
  uint64_t next_ = 0;       // pages handed out from the bump region
  uint64_t free_list_ = 0;  // freed pages, linked through their first word (0 = empty)
};

}  // namespace hiillos::loader
