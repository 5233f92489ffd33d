// kernel/user/layout.h — the user half of every address space and the range checks on it.
//
// User space is the canonical lower half minus its first and last page: page 0 stays unmapped
// (null pointers fault), and the last page below the non-canonical hole is never mappable, so
// no user instruction can end at the hole (a SYSCALL there would return to a non-canonical
// RIP). Pure logic, host-tested.
#pragma once

#include <stdint.h>

#include "lib/base/checked.h"
#include "lib/base/page_size.h"

namespace hiillos::user {

inline constexpr uint64_t kUserBase = 0x1000;                   // lowest mappable address
inline constexpr uint64_t kUserEnd = 0x0000'7fff'ffff'f000ull;  // one past the highest
inline constexpr uint64_t kCanonicalLowerEnd = 0x0000'8000'0000'0000ull;

// True when [address, address + size) lies inside user space (size 0: address itself must be
// inside or at the end). Overflow-safe.
[[nodiscard]] constexpr bool IsUserRange(uint64_t address, uint64_t size) {
  return address >= kUserBase && RangeInside(address, size, kUserEnd);
}

// True for an address user code may run at or point a stack to (SetRegs, the first thread).
[[nodiscard]] constexpr bool IsUserAddress(uint64_t address) {
  return address < kCanonicalLowerEnd;
}

}  // namespace hiillos::user
