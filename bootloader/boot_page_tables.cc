// bootloader/boot_page_tables.cc — the table-page pool and the page-table build step.
#include "bootloader/boot_page_tables.h"

#include "bootloader/page_allocator.h"

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

EfiResult<uint64_t> BuildPageTables(const BootMappings& mappings) {
  const uint64_t pool_pages = TablePagesNeeded(mappings);
  uint64_t pool_base =
      TRY(pages::Allocate({pool_pages, uapi::MemoryKind::kBootData, "page tables"}));
  TablePool pool(pool_base, pool_pages);
  auto built = BuildBootAddressSpace(pool, mappings);
  if (!built.ok()) {
    return Fail(EFI_OUT_OF_RESOURCES, "cannot map %s: %s", MappingStepString(built.error().step),
                PagingErrorString(built.error().error));
  }
  return built.value();
}

}  // namespace hiillos::loader
