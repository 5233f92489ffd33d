// kernel/syscall/cap.cc — CapIdentify, CapDerive, CapDelete: operations on any capability.
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"

namespace hiillos::syscall {

// CapIdentify(handle) -> (rights << 8) | type. Needs no right. Errors: kInvalidCapability.
SyscallResult SysCapIdentify(const SyscallArgs& a) {
  uint32_t handle = TRY(HandleArg(a.arg[0]));
  cap::CapabilityInfo info = TRY(cap::KernelTable().Identify(Caller().id(), handle));
  return (static_cast<uint64_t>(info.rights.bits) << 8) | static_cast<uint64_t>(info.type);
}

// CapDerive(handle, rights) -> new handle. Needs kClone; rights ⊆ the source's.
// Errors: kInvalidArgument (undefined rights bits), kInvalidCapability, kMissingRights,
// kNoSlots, kOutOfMemory.
SyscallResult SysCapDerive(const SyscallArgs& a) {
  uapi::Rights rights = TRY(RightsArg(a.arg[1]));
  uint32_t handle = TRY(HandleArg(a.arg[0]));
  return TRY(cap::KernelTable().Derive(Caller().id(), handle, rights));
}

// CapDelete(handle). Needs no right. Errors: kInvalidCapability.
SyscallResult SysCapDelete(const SyscallArgs& a) {
  uint32_t handle = TRY(HandleArg(a.arg[0]));
  TRY(cap::KernelTable().Delete(Caller().id(), handle));
  return uint64_t{0};
}

}  // namespace hiillos::syscall
