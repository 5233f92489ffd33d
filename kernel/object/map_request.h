// kernel/object/map_request.h — CheckMapRequest: validation of a VmemMap's address, size and
// flags before anything is touched, and the page attributes a valid request maps with.
// Pure logic, host-tested.
#pragma once

#include <stdint.h>

#include "kernel/user/layout.h"
#include "lib/base/checked.h"
#include "lib/base/result.h"
#include "lib/paging/types.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

namespace hiillos::object {

inline constexpr uint64_t kKnownMapFlags = uapi::kMapRead | uapi::kMapWrite | uapi::kMapExecute;

// Errors (in this order): kInvalidArgument (unknown flag bits, kMapRead missing, vaddr not page
// aligned, size 0 or not whole pages, range not inside user space), kPermissionDenied (write
// together with execute: W^X, whatever the rights).
[[nodiscard]] constexpr Result<void, uapi::Status> CheckMapRequest(uint64_t vaddr, uint64_t size,
                                                                   uint64_t flags) {
  if ((flags & ~kKnownMapFlags) != 0 || (flags & uapi::kMapRead) == 0) {
    return Err(uapi::Status::kInvalidArgument);
  }
  if (!IsAligned(vaddr, user::kPageSize) || size == 0 || !IsAligned(size, user::kPageSize) ||
      !user::IsUserRange(vaddr, size)) {
    return Err(uapi::Status::kInvalidArgument);
  }
  if ((flags & uapi::kMapWrite) != 0 && (flags & uapi::kMapExecute) != 0) {
    return Err(uapi::Status::kPermissionDenied);
  }
  return Ok<uapi::Status>();
}

// Leaf attributes of a checked request; device memory is mapped uncached.
[[nodiscard]] constexpr paging::Attributes MapAttributes(uint64_t flags, bool device) {
  paging::Attributes attrs;
  attrs.writable = (flags & uapi::kMapWrite) != 0;
  attrs.executable = (flags & uapi::kMapExecute) != 0;
  attrs.user = true;
  attrs.uncached = device;
  return attrs;
}

}  // namespace hiillos::object
