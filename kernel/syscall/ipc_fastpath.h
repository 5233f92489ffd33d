// kernel/syscall/ipc_fastpath.h — the register-only IPC fast path: Call to a receiver already
// waiting, and ReplyRecv answering a bound caller when no other call is queued, for messages
// with no extended part and no capabilities (docs/ipc.md, "Fast path").
#pragma once

#include <stdint.h>

#include "kernel/arch/trap_frame.h"
#include "uapi/status.h"

namespace hiillos::syscall {

// What the fast path did: `taken` false when it did not apply (nothing changed), else the
// call's status and value (rax, rdx).
struct FastPathResult {
  bool taken = false;
  uapi::Status status = uapi::Status::kOk;
  uint64_t value = 0;
};

// Runs syscall `number` (Call or ReplyRecv) from `frame` on the fast path when it applies.
// Does not apply, and changes nothing, for another call, an extended part or capabilities, no
// receiver waiting, a call queued, a capability the lookup refuses, ...: the caller then
// dispatches the call as usual, and the slow path gives the same results. Interrupts off, from
// SyscallDispatch, with the thread's ThreadIpc::syscall_frame already set to `frame`.
FastPathResult IpcFastPath(uint64_t number, arch::InterruptFrame& frame);

}  // namespace hiillos::syscall
