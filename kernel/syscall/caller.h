// kernel/syscall/caller.h — who is calling: the current user thread's process and its
// capability-table owner id, and typed capability lookups on the caller's behalf.
#pragma once

#include <stdint.h>

#include "kernel/cap/kernel_table.h"
#include "kernel/object/process.h"
#include "kernel/syscall/syscall_table.h"
#include "uapi/rights.h"

namespace hiillos::syscall {

// Only user threads make syscalls, so there always is a process.
inline object::Process& Caller() {
  object::Process* process = object::CurrentProcess();
  if (process == nullptr) __builtin_trap();  // SYSCALL from a kernel context: kernel bug
  return *process;
}

// The caller's capability `raw_handle` as a T with at least `required` rights.
// Errors: kInvalidCapability, kWrongType, kMissingRights.
template <object::KernelObjectClass T>
Result<object::Ref<T>, uapi::Status> LookupCap(uint64_t raw_handle, uapi::Rights required) {
  uint32_t handle = TRY(HandleArg(raw_handle));
  return cap::KernelTable().Lookup<T>(Caller().id(), handle, required);
}

// A value the caller passed as rights: undefined bits are kInvalidArgument.
inline Result<uapi::Rights, uapi::Status> RightsArg(uint64_t raw) {
  if (raw > UINT32_MAX) return Err(uapi::Status::kInvalidArgument);
  uapi::Rights rights{static_cast<uint32_t>(raw)};
  if (!rights.IsValid()) return Err(uapi::Status::kInvalidArgument);
  return rights;
}

}  // namespace hiillos::syscall
