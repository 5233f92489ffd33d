// kernel/syscall/ipc_fastpath.h — the register-only IPC fast path: Call to a receiver already
// waiting, and ReplyRecv answering a bound caller when no other call is queued, for messages
// with no extended part and no capabilities (docs/ipc.md, "Fast path").
#pragma once

#include <stdint.h>

#include "kernel/arch/trap_frame.h"

namespace hiillos::object {
class Thread;
}  // namespace hiillos::object

namespace hiillos::syscall {

// Runs syscall `number` (Call or ReplyRecv) from `frame` on the fast path when it applies, and
// then returns true with the call's status and value in frame.rax and frame.rdx.
// Does not apply (false), and changes nothing, for another call, an extended part or
// capabilities, no receiver waiting, a call queued, a capability the lookup refuses, ...: the
// caller then dispatches the call as usual, and the slow path gives the same results.
// Interrupts off, from SyscallDispatch, with `thread` the current thread and its
// ThreadIpc::syscall_frame already set to `frame`.
bool IpcFastPath(uint64_t number, object::Thread& thread, arch::InterruptFrame& frame);

}  // namespace hiillos::syscall
