// lib/paging/types.h — the paging library's error codes, page sizes and mapping attributes.
#pragma once

#include <stdint.h>

namespace hiillos::paging {

enum class Error : uint8_t {
  kOutOfMemory,          // the Env could not provide a page-table page
  kMisaligned,           // virt/phys/size not aligned to the page size, or phys beyond 2^52
  kNonCanonical,         // virtual address (or range) not canonical (SDM Vol.3A §4.5)
  kAlreadyMapped,        // the range overlaps an existing mapping (never silently replaced)
  kNotMapped,            // nothing is mapped at that address
  kConflictingPageSize,  // a mapping exists there, but with another page size
  kWriteAndExecute,      // writable && executable: W^X is enforced here
};

// The three page sizes of 4-level paging (SDM Vol.3A §4.5: 4-KByte PTE, 2-MByte PDE, 1-GByte
// PDPTE; 1-GByte pages need CPUID.80000001H:EDX.Page1GB[bit 26]).
enum class PageSize : uint8_t { k4K, k2M, k1G };

constexpr uint64_t Bytes(PageSize size) {
  switch (size) {
    case PageSize::k4K:
      return 0x1000ull;
    case PageSize::k2M:
      return 0x20'0000ull;
    case PageSize::k1G:
      return 0x4000'0000ull;
  }
  return 0x1000ull;
}

// What a leaf entry grants. Defaults: kernel-only, read-only, non-executable.
struct Attributes {
  bool writable = false;
  bool executable = false;
  bool user = false;
  bool global = false;
  bool uncached = false;  // PCD|PWT: UC with the power-on PAT (SDM Vol.3A §11.12.3)

  friend constexpr bool operator==(const Attributes&, const Attributes&) = default;
};

}  // namespace hiillos::paging
