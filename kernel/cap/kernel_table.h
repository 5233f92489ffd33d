// kernel/cap/kernel_table.h — the kernel's one global CapabilityTable, its storage in the
// reserved capability region (mm::kCapabilityRegionBase).
//
// Ownership: the table lives for the kernel's whole run (static storage). Its slot pages are
// fresh PMM pages (PageUse::kKernel) mapped on demand into the shared kernel half, so every
// address space sees them; a page whose slots are all free is unmapped (with a TLB shootdown)
// and returned to the PMM.
#pragma once

#include "kernel/cap/capability_table.h"
#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::cap {

// Gives the table its storage. Boot CPU, once, after the memory stage.
// Errors: as CapabilityTable::Init.
Result<void, Status> KernelTableInit();

// The table (usable after KernelTableInit; before it every insert fails with kNoSlots). Inline:
// every capability lookup starts here.
extern CapabilityTable g_kernel_table;
inline CapabilityTable& KernelTable() {
  return g_kernel_table;
}

}  // namespace hiillos::cap
