// kernel/syscall/syscall_table.h — the kernel side of uapi/syscalls.h: argument decoding, one
// handler declaration per syscall, and the dispatch table, all generated from HIILLOS_SYSCALLS.
//
// Each handler lives in its family's file (log.cc, cap.cc, memory.cc, vmem.cc, process.cc,
// thread.cc, system.cc) and is thin: decode (look up every capability with the rights the
// operation needs, copy user data in) → perform (one object method) → result.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

namespace hiillos::syscall {

// The six argument registers (rdi, rsi, rdx, r10, r8, r9), as the caller passed them.
struct SyscallArgs {
  uint64_t arg[6];
};

// Status in rax; the value (rdx) only on success (0 for calls without one).
using SyscallResult = Result<uint64_t, uapi::Status>;
using SyscallHandler = SyscallResult (*)(const SyscallArgs& args);

#define HIILLOS_SYSCALL_DECLARE(number, name, args) SyscallResult Sys##name(const SyscallArgs& a);
HIILLOS_SYSCALLS(HIILLOS_SYSCALL_DECLARE)
#undef HIILLOS_SYSCALL_DECLARE

struct SyscallTable {
  SyscallHandler handler[uapi::kSyscallCount];
  uint8_t arg_count[uapi::kSyscallCount];
};

// The table, checked at compile time: numbers dense from 0, each exactly once, at most six
// arguments.
consteval SyscallTable MakeSyscallTable() {
  SyscallTable table{};
#define HIILLOS_SYSCALL_ENTRY(number, name, args)                                          \
  if ((number) >= uapi::kSyscallCount || table.handler[number] != nullptr || (args) > 6) { \
    __builtin_trap(); /* not a constant expression: compile error */                       \
  }                                                                                        \
  table.handler[number] = &Sys##name;                                                      \
  table.arg_count[number] = (args);
  HIILLOS_SYSCALLS(HIILLOS_SYSCALL_ENTRY)
#undef HIILLOS_SYSCALL_ENTRY
  return table;
}

// Runs syscall `number` (kInvalidSyscall when there is none).
SyscallResult Dispatch(uint64_t number, const SyscallArgs& args);

// Narrowing helpers for argument registers that carry 32-bit values: a value that does not
// fit is an invalid argument (or an invalid capability for handles), never silently truncated.
inline Result<uint32_t, uapi::Status> HandleArg(uint64_t raw) {
  if (raw > UINT32_MAX) return Err(uapi::Status::kInvalidCapability);
  return static_cast<uint32_t>(raw);
}
inline Result<uint32_t, uapi::Status> U32Arg(uint64_t raw) {
  if (raw > UINT32_MAX) return Err(uapi::Status::kInvalidArgument);
  return static_cast<uint32_t>(raw);
}

}  // namespace hiillos::syscall
