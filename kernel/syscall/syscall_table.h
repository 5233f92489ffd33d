// kernel/syscall/syscall_table.h — the kernel side of uapi/syscalls.h: one typed handler
// declaration per call (Sys<Name>, its parameters the decoded argument kinds), and the dispatch
// table whose entries decode the registers in argument order (decode_and_call.h, with the
// per-kind decoders of decode.h), then call the handler.
//
// Each handler lives in its family's file (log.cc, cap.cc, memory.cc, vmem.cc, process.cc,
// thread.cc, system.cc) and only performs: every argument it receives is already checked
// (kernel/syscall/decode.h); the few checks that combine arguments come first in the handler.
#pragma once

#include <stdint.h>

#include "kernel/result/kresult.h"
#include "kernel/syscall/decode.h"
#include "kernel/syscall/decode_and_call.h"
#include "uapi/syscalls.h"

namespace hiillos::syscall {

// The six argument registers (rdi, rsi, rdx, r10, r8, r9), as the caller passed them.
struct SyscallArgs {
  uint64_t arg[6];
};

// Status in rax; the value (rdx) only on success (0 for calls without one).
using SyscallResult = KResult<uint64_t>;
using SyscallEntry = SyscallResult (*)(const SyscallArgs& args);

// What a handler returns for each value kind, and how it becomes rdx.
template <typename Value>
struct KernelValue;
template <>
struct KernelValue<void> {
  using Type = void;
  static SyscallResult ToRegister(KResult<void> result) {
    TRY(Move(result));
    return uint64_t{0};
  }
};
template <>
struct KernelValue<uapi::NewHandle> {
  using Type = cap::Handle;
  static SyscallResult ToRegister(KResult<cap::Handle> result) {
    return uint64_t{TRY(Move(result))};
  }
};
template <>
struct KernelValue<uapi::CapInfo> {
  using Type = uapi::CapInfo;
  static SyscallResult ToRegister(KResult<uapi::CapInfo> result) {
    return uapi::CapInfo::ToWord(TRY(Move(result)));
  }
};
template <>
struct KernelValue<uapi::Bits> {
  using Type = uint64_t;
  static SyscallResult ToRegister(KResult<uint64_t> result) { return TRY(Move(result)); }
};
template <>
struct KernelValue<uapi::NoReturn> : KernelValue<void> {};
// IPC calls return the received message's info word (rdx); the handler writes the badge and
// the message words into the syscall frame itself (kernel/syscall/ipc.cc).
template <>
struct KernelValue<uapi::Message> {
  using Type = uint64_t;
  static SyscallResult ToRegister(KResult<uint64_t> result) { return TRY(Move(result)); }
};

template <typename Signature>
struct KernelHandlerType;
template <typename Value, typename... Kinds>
struct KernelHandlerType<Value(Kinds...)> {
  using Type = KResult<typename KernelValue<Value>::Type>(typename ArgDecoder<Kinds>::Type...);
};

// The function type of call kCall's handler, e.g. for VmemMap:
// KResult<void>(Capability<Vmem>, Capability<Frame>, uint64_t vaddr, uint64_t flags).
template <uapi::Syscall kCall>
using HandlerType = typename KernelHandlerType<typename uapi::SyscallSpec<kCall>::Signature>::Type;

#define HIILLOS_SYSCALL_DECLARE(number, name, ...) HandlerType<uapi::Syscall::k##name> Sys##name;
HIILLOS_SYSCALLS(HIILLOS_SYSCALL_DECLARE)
#undef HIILLOS_SYSCALL_DECLARE

template <uapi::Syscall kCall, HandlerType<kCall>* kHandler>
SyscallResult Invoke(const SyscallArgs& args) {
  using Signature = typename uapi::SyscallSpec<kCall>::Signature;
  using Value = typename uapi::SignatureTraits<Signature>::Value;
  return KernelValue<Value>::ToRegister(DecodeAndCall<ArgDecoder, Signature>(kHandler, args.arg));
}

struct SyscallTable {
  SyscallEntry entry[uapi::kSyscallCount];  // null: no such call
};

// The table, checked at compile time: each number filled exactly once.
consteval SyscallTable MakeSyscallTable() {
  SyscallTable table{};
#define HIILLOS_SYSCALL_ENTRY(number, name, ...)                     \
  if (table.entry[number] != nullptr) {                              \
    __builtin_trap(); /* not a constant expression: compile error */ \
  }                                                                  \
  table.entry[number] = &Invoke<uapi::Syscall::k##name, &Sys##name>;
  HIILLOS_SYSCALLS(HIILLOS_SYSCALL_ENTRY)
#undef HIILLOS_SYSCALL_ENTRY
  return table;
}

// Runs syscall `number` (kInvalidSyscall when there is none).
SyscallResult Dispatch(uint64_t number, const SyscallArgs& args);

}  // namespace hiillos::syscall
