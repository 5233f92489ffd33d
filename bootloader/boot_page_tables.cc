// bootloader/boot_page_tables.cc — the UEFI loader's page-table build step.
#include "bootloader/boot_page_tables.h"

#include "bootloader/page_allocator.h"

namespace hiillos::loader {

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
