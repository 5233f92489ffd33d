// services/proc/ready.h — SignalReady: how a service tells proc (and through proc's WaitReady,
// init) that it serves now: the readiness handshake (docs/services.md, docs/protocols/proc.md).
// Register words only, so it works before a program sets up its IPC buffer.
#pragma once

#include <stdint.h>

#include "services/lib/syscalls.h"
#include "services/proc/protocol.h"

namespace hiillos::proc {

// Calls proc's Ready on `proc_sender` (the "proc" capability proc gives every child). Returns
// proc's status (0 ok), or the failing syscall's status; 0 with nothing done when the program
// has no proc capability (`proc_sender` 0: not started by proc, nobody waits for it).
inline uint64_t SignalReady(uint32_t proc_sender) {
  if (proc_sender == 0) return 0;
  uapi::IpcMessage ready;
  ready.words[0] = protocol::Ready::kCode;
  auto answered = rt::Call(proc_sender, ready);
  if (!answered.ok()) return static_cast<uint64_t>(answered.error());
  return answered.value().words[0];
}

}  // namespace hiillos::proc
