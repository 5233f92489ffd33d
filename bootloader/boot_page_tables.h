// bootloader/boot_page_tables.h — the UEFI loader's page-table step: a kBootData pool from the
// firmware (bootloader/table_pool.h) and the kernel's first address space built in it.
#pragma once

#include <stdint.h>

#include "bootloader/boot_address_space.h"
#include "bootloader/loader_error.h"
#include "bootloader/table_pool.h"
#include "lib/paging/types.h"

namespace hiillos::loader {

// Allocates a pool of TablePagesNeeded(mappings) pages (kBootData) and builds the tables.
// Returns the PML4's physical address.
EfiResult<uint64_t> BuildPageTables(const BootMappings& mappings);

}  // namespace hiillos::loader
