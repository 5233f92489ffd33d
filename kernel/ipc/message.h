// kernel/ipc/message.h — the register part of an IPC message: the words a Call, Send or Reply
// carries in registers (the fast path never touches memory for them).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::ipc {

// How many 64-bit words travel in registers. The syscall ABI assigns them to registers; the
// state machine only moves them from one participant to another.
inline constexpr size_t kRegisterWords = 6;

struct RegisterMessage {
  uint64_t words[kRegisterWords] = {};
};

}  // namespace hiillos::ipc
