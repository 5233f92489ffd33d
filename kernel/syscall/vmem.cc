// kernel/syscall/vmem.cc — FrameInfo, VmemMap, VmemUnmap: frames and address spaces.
#include "kernel/object/vmem.h"
#include "kernel/object/frame.h"
#include "kernel/object/map_request.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/user/user_copy.h"

namespace hiillos::syscall {
namespace {

using object::Ref;
using uapi::Rights;
using uapi::Status;

// The frame rights a mapping with `flags` needs (flags already checked).
Rights RightsForMapping(uint64_t flags) {
  Rights needed = Rights::kMap | Rights::kRead;
  if ((flags & uapi::kMapWrite) != 0) needed = needed | Rights::kWrite;
  if ((flags & uapi::kMapExecute) != 0) needed = needed | Rights::kExecute;
  return needed;
}

}  // namespace

// FrameInfo(frame, FrameInfo* out). Frame needs kRead.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kBadAddress.
SyscallResult SysFrameInfo(const SyscallArgs& a) {
  uint32_t handle = TRY(HandleArg(a.arg[0]));
  const uint32_t owner = Caller().id();
  Ref<object::Frame> frame =
      TRY(cap::KernelTable().Lookup<object::Frame>(owner, handle, Rights::kRead));
  bool mapped = TRY(cap::KernelTable().IsMapped(owner, handle));
  TRY(user::CopyOut(user::UserOut<uapi::FrameInfo>(a.arg[1]), frame->Info(mapped)));
  return uint64_t{0};
}

// VmemMap(vmem, frame, vaddr, flags): maps the whole frame at vaddr. Vmem needs kMap; the frame
// kMap and kRead, plus kWrite for kMapWrite and kExecute for kMapExecute.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument (flags, alignment,
// range), kPermissionDenied (write + execute), kAlreadyMapped (this frame capability is mapped:
// derive a clone to map the frame again), kOverlap, kOutOfMemory.
SyscallResult SysVmemMap(const SyscallArgs& a) {
  const uint64_t vaddr = a.arg[2];
  const uint64_t flags = a.arg[3];
  Ref<object::Vmem> vmem = TRY(LookupCap<object::Vmem>(a.arg[0], Rights::kMap));
  uint32_t frame_handle = TRY(HandleArg(a.arg[1]));
  const uint32_t owner = Caller().id();
  Ref<object::Frame> frame =
      TRY(cap::KernelTable().Lookup<object::Frame>(owner, frame_handle, Rights::kMap));
  TRY(object::CheckMapRequest(vaddr, frame->size(), flags));
  // Marks the capability (atomically: a concurrent map through it gets kAlreadyMapped).
  auto marked = TRY(
      cap::KernelTable().MarkMapped<object::Frame>(owner, frame_handle, RightsForMapping(flags)));
  object::MapMark mark{frame_handle, marked.cookie};
  auto mapped = vmem->Map(Move(marked.object), vaddr, flags, mark);
  if (!mapped.ok()) {
    cap::KernelTable().ClearMapped(frame_handle, marked.cookie);
    return Err(mapped.error());
  }
  return uint64_t{0};
}

// VmemUnmap(vmem, vaddr): removes the mapping starting at vaddr. Vmem needs kMap.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kNotMapped (no mapping starts there).
SyscallResult SysVmemUnmap(const SyscallArgs& a) {
  Ref<object::Vmem> vmem = TRY(LookupCap<object::Vmem>(a.arg[0], Rights::kMap));
  TRY(vmem->Unmap(a.arg[1]));
  return uint64_t{0};
}

}  // namespace hiillos::syscall
