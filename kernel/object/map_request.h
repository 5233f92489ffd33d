// kernel/object/map_request.h — MapRequest: a VmemMap's address, size and flags, validated by
// the syscall decode step before anything is touched; Vmem::Map takes only this. Also the frame
// rights a request needs and the page attributes it maps with. Pure logic, host-tested.
#pragma once

#include <stdint.h>

#include "kernel/result/kresult.h"
#include "kernel/user/layout.h"
#include "lib/base/checked.h"
#include "lib/base/page_size.h"
#include "lib/paging/types.h"
#include "uapi/rights.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

namespace hiillos::object {

inline constexpr uint64_t kKnownMapFlags = uapi::kMapRead | uapi::kMapWrite | uapi::kMapExecute;

class MapRequest {
 public:
  // A whole-frame mapping of `size` bytes at `vaddr` with uapi::MapFlags `flags`.
  // Errors (in this order): kInvalidArgument (unknown flag bits, kMapRead missing, vaddr not
  // page aligned, size 0 or not whole pages, range not inside user space), kPermissionDenied
  // (write together with execute: W^X, whatever the rights).
  [[nodiscard]] static KResult<MapRequest> Check(uint64_t vaddr, uint64_t size, uint64_t flags) {
    if ((flags & ~kKnownMapFlags) != 0 || (flags & uapi::kMapRead) == 0) {
      return Err(uapi::Status::kInvalidArgument);
    }
    if (!IsAligned(vaddr, kPageSize) || size == 0 || !IsAligned(size, kPageSize) ||
        !user::IsUserRange(vaddr, size)) {
      return Err(uapi::Status::kInvalidArgument);
    }
    if ((flags & uapi::kMapWrite) != 0 && (flags & uapi::kMapExecute) != 0) {
      return Err(uapi::Status::kPermissionDenied);
    }
    return MapRequest(vaddr, size, flags);
  }

  constexpr uint64_t vaddr() const { return vaddr_; }
  constexpr uint64_t size() const { return size_; }
  constexpr uint64_t flags() const { return flags_; }

  // The rights the frame capability needs: kMap and kRead, plus kWrite for kMapWrite and
  // kExecute for kMapExecute.
  [[nodiscard]] constexpr uapi::Rights FrameRights() const {
    uapi::Rights needed = uapi::Rights::kMap | uapi::Rights::kRead;
    if ((flags_ & uapi::kMapWrite) != 0) needed = needed | uapi::Rights::kWrite;
    if ((flags_ & uapi::kMapExecute) != 0) needed = needed | uapi::Rights::kExecute;
    return needed;
  }

  // Leaf attributes; device memory is mapped uncached.
  [[nodiscard]] constexpr paging::Attributes Attributes(bool device) const {
    paging::Attributes attrs;
    attrs.writable = (flags_ & uapi::kMapWrite) != 0;
    attrs.executable = (flags_ & uapi::kMapExecute) != 0;
    attrs.user = true;
    attrs.uncached = device;
    return attrs;
  }

 private:
  constexpr MapRequest(uint64_t vaddr, uint64_t size, uint64_t flags)
      : vaddr_(vaddr), size_(size), flags_(flags) {}

  uint64_t vaddr_;
  uint64_t size_;
  uint64_t flags_;
};

}  // namespace hiillos::object
