// kernel/mm/page_use.h — what an allocated physical page is used for (per-purpose accounting).
#pragma once

#include <stdint.h>

namespace hiillos::mm {

enum class PageUse : uint8_t {
  kKernel,     // kernel heap-like data: stacks, per-CPU data, PMM-internal structures
  kPageTable,  // paging structures (PML4/PDPT/PD/PT)
  kUser,       // frames handed to user space
  kObject,     // kernel objects carved from Memory capabilities
};
inline constexpr unsigned kPageUseCount = 4;

}  // namespace hiillos::mm
