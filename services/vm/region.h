// services/vm/region.h — the vocabulary of the vm server's address-space logic: regions of a
// process's address space, their protections and kinds, and the user half they must lie in.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/page_size.h"
#include "services/vm/vm_error.h"

namespace hiillos::vm {

using Pid = uint64_t;      // the proc server's pid of the process owning an address space
using FrameId = uint64_t;  // the server's name for a Frame capability it holds (its handle)

// The user half of every address space (kernel/user/layout.h, kept private to the kernel:
// page 0 stays unmapped for null pointers, the last page below the canonical hole is never
// mappable). Mirrored here until the layout moves to uapi/.
inline constexpr uint64_t kUserBase = 0x1000;
inline constexpr uint64_t kUserEnd = 0x0000'7fff'ffff'f000ull;

// Protection bits of a region. Every region is readable; writable and executable exclude each
// other (W^X).
inline constexpr uint8_t kProtRead = 1;
inline constexpr uint8_t kProtWrite = 2;
inline constexpr uint8_t kProtExecute = 4;
inline constexpr uint8_t kProtAll = kProtRead | kProtWrite | kProtExecute;

enum class RegionKind : uint8_t {
  kAnonymous,   // zero-filled on first touch, one page-sized Frame per touched page
  kShared,      // one Frame, mapped whole, possibly in several processes (reference-counted)
  kElfSegment,  // one Frame holding a loaded program segment, private to the process
};

struct Region {
  uint64_t start;  // page aligned
  uint64_t pages;  // non-zero
  RegionKind kind;
  uint8_t protection;
  uint8_t max_protection;  // what Protect may grant (a share's is what it was given)
  uint32_t frame;          // FrameTable index for kShared and kElfSegment; unused for kAnonymous

  uint64_t end() const { return start + pages * kPageSize; }
};

enum class Access : uint8_t { kRead, kWrite, kExecute };

// Valid protection: readable, no unknown bits, not writable and executable at once.
enum class ProtectionCheck : uint8_t { kOk, kBad, kWriteExecute };
constexpr ProtectionCheck CheckProtection(uint8_t protection) {
  if ((protection & ~kProtAll) != 0 || (protection & kProtRead) == 0) return ProtectionCheck::kBad;
  if ((protection & kProtWrite) && (protection & kProtExecute)) {
    return ProtectionCheck::kWriteExecute;
  }
  return ProtectionCheck::kOk;
}

}  // namespace hiillos::vm
