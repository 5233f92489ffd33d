// kernel/syscall/vmem.cc — FrameInfo, VmemMap, VmemUnmap: frames and address spaces.
#include "kernel/object/vmem.h"
#include "kernel/object/frame.h"
#include "kernel/object/map_request.h"
#include "kernel/object/memory.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/user/user_copy.h"

namespace hiillos::syscall {

using object::Frame;
using object::Vmem;

KResult<void> SysFrameInfo(Capability<Frame> frame, user::UserOut<uapi::FrameInfo> out) {
  bool mapped = TRY(cap::KernelTable().IsMapped(Caller().id(), frame.handle));
  return user::CopyOut(out, frame->Info(mapped));
}

// Maps the whole frame at vaddr. Decode (no state changes): the request's flags, alignment and
// range (kInvalidArgument, kPermissionDenied for write + execute), then the frame rights the
// flags need (kMissingRights: kRead, plus kWrite for kMapWrite, kExecute for kMapExecute).
// Perform (Vmem::Map): kAlreadyMapped (this frame capability is mapped: derive a clone to map
// the frame again), kOverlap, kOutOfMemory (`memory` pays for the mapping record and its page
// tables, see vmem.h).
KResult<void> SysVmemMap(Capability<Vmem> vmem, Capability<Frame> frame, uint64_t vaddr,
                         uint64_t flags, Capability<object::Memory> memory) {
  object::MapRequest request = TRY(object::MapRequest::Check(vaddr, frame->size(), flags));
  if (!frame.rights.Has(request.FrameRights())) return Err(uapi::Status::kMissingRights);
  return vmem->Map(Move(frame.object), request, object::MapSource{Caller().id(), frame.handle},
                   memory.object);
}

// kNotMapped: no mapping starts exactly at vaddr.
KResult<void> SysVmemUnmap(Capability<Vmem> vmem, uint64_t vaddr) {
  return vmem->Unmap(vaddr);
}

}  // namespace hiillos::syscall
