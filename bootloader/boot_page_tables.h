// bootloader/boot_page_tables.h — page-table pages for the kernel's first address space, taken
// from one pre-allocated kBootData pool, and the call that builds the tables.
#pragma once

#include <stdint.h>

#include "bootloader/boot_address_space.h"
#include "bootloader/loader_error.h"
#include "lib/paging/types.h"

namespace hiillos::loader {

// A lib/paging Env over a contiguous run of pages. Firmware memory is identity mapped, so a
// table's physical address is also where the loader writes it. Lives until hand-off.
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

// Allocates a pool of TablePagesNeeded(mappings) pages (kBootData) and builds the tables.
// Returns the PML4's physical address.
EfiResult<uint64_t> BuildPageTables(const BootMappings& mappings);

}  // namespace hiillos::loader
