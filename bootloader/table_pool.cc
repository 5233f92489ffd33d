// bootloader/table_pool.cc — the page-table page pool: bump allocation plus a free list.
#include "bootloader/table_pool.h"

#include "lib/base/page_size.h"

namespace hiillos::loader {

Result<uint64_t, paging::Error> TablePool::AllocTablePage() {
  uint64_t page = 0;
  if (free_list_ != 0) {
    page = free_list_;
    free_list_ = *reinterpret_cast<uint64_t*>(page);
  } else if (next_ < pages_) {
    page = base_ + next_++ * kPageSize;
  } else {
    return Err(paging::Error::kOutOfMemory);
  }
  __builtin_memset(reinterpret_cast<void*>(page), 0, kPageSize);
  return page;
}

void TablePool::FreeTablePage(uint64_t phys) {
  *reinterpret_cast<uint64_t*>(phys) = free_list_;
  free_list_ = phys;
}

}  // namespace hiillos::loader
