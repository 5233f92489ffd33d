// uapi/rights.h — Rights: the permission bits a capability carries (a 32-bit mask, ABI).
//
// Every operation on an object is authorised by the rights of the capability naming it, and
// nothing else. A derived or transferred capability never has more rights than its source.
// The same bits mean analogous things on every type; each syscall documents exactly which
// rights it needs on each capability argument.
//
// Deleting a capability needs no right: dropping authority must always be possible (a process
// can always shrink what it holds, and teardown never depends on rights). So there is no kDelete.
// Undefined bits are invalid: the kernel rejects a mask with them (Status::kInvalidArgument).
#pragma once

#include <stdint.h>

namespace hiillos::uapi {

struct Rights {
  uint32_t bits;

  static const Rights kNone;
  // Observe the object: map a Frame readable, read a Thread's registers or a Process's state,
  // receive on a Receiver, wait on a Notify, read from an IoPortRange.
  static const Rights kRead;
  // Change the object: map a Frame writable, allocate from a Memory, start or modify a Thread,
  // send or call through a Sender, signal a Notify, acknowledge an IrqLine, write an IoPortRange.
  static const Rights kWrite;
  // Map a Frame executable (never together with kWrite in one mapping: W^X). Unused elsewhere.
  static const Rights kExecute;
  // Frame: may be mapped into a Vmem. Vmem: may have mappings added or removed.
  static const Rights kMap;
  // Derive a new capability to the same object with a subset of the rights (needed for a copy
  // through IPC too, so a capability without kClone stays unique: e.g. one mapping per frame cap).
  static const Rights kClone;
  // Send the capability to another process through IPC (moved, or copied with kClone as well).
  static const Rights kTransfer;
  // Every defined bit.
  static const Rights kAll;

  [[nodiscard]] constexpr bool IsValid() const;
  // True when every bit of *this is also in `other`.
  [[nodiscard]] constexpr bool IsSubsetOf(Rights other) const { return (bits & ~other.bits) == 0; }
  // True when every bit of `needed` is in *this.
  [[nodiscard]] constexpr bool Has(Rights needed) const { return needed.IsSubsetOf(*this); }

  friend constexpr Rights operator&(Rights a, Rights b) { return Rights{a.bits & b.bits}; }
  friend constexpr Rights operator|(Rights a, Rights b) { return Rights{a.bits | b.bits}; }
  friend constexpr bool operator==(Rights a, Rights b) = default;
};

inline constexpr Rights Rights::kNone{0};
inline constexpr Rights Rights::kRead{1u << 0};
inline constexpr Rights Rights::kWrite{1u << 1};
inline constexpr Rights Rights::kExecute{1u << 2};
inline constexpr Rights Rights::kMap{1u << 3};
inline constexpr Rights Rights::kClone{1u << 4};
inline constexpr Rights Rights::kTransfer{1u << 5};
inline constexpr Rights Rights::kAll{(1u << 6) - 1};

constexpr bool Rights::IsValid() const {
  return IsSubsetOf(kAll);
}

static_assert(sizeof(Rights) == 4 && alignof(Rights) == 4);
static_assert((Rights::kRead | Rights::kWrite | Rights::kExecute | Rights::kMap | Rights::kClone |
               Rights::kTransfer) == Rights::kAll);

}  // namespace hiillos::uapi
