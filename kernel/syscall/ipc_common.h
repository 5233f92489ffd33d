// kernel/syscall/ipc_common.h — the pieces of the IPC calls (ipc.cc) that the register-only fast
// path (ipc_fastpath.cc) shares with them, so that both finish a call the same way.
#pragma once

#include <stdint.h>

#include "kernel/ipc/thread_ipc.h"
#include "kernel/object/ipc_objects.h"
#include "kernel/result/kresult.h"

namespace hiillos::syscall {

// After a message arrived in `self` (participant and ext): its extended part into the IPC
// buffer, badge and words into the registers of self.syscall_frame; returns the info word.
// Errors: kBadAddress (the buffer cannot be written: the registers still carry the message,
// and a call stays bound to the reply slot).
KResult<uint64_t> FinishReceive(ipc::ThreadIpc& self);

// Frees the calling thread's receive into `reply` once it has returned from its sleep (takes
// IpcLock).
void EndReceiving(object::Reply& reply);

}  // namespace hiillos::syscall
