// kernel/arch/io_ports.h — the architecture interface for user-mode port I/O: granting the
// current thread a range of I/O ports (x86: the TSS I/O permission bitmap, switched with the
// thread; kernel/arch/x86_64/io_permission.h says what a switch costs).
#pragma once

#include <stdint.h>

#include "kernel/arch/thread_context.h"
#include "kernel/arch/x86_64/io_permission.h"

namespace hiillos::arch {

// Bytes of storage the generic kernel allocates (and charges) for a thread's first grant; it
// must stay valid until the thread is destroyed.
inline constexpr uint64_t kIoPermissionBytes = x86_64::kIoPermissionBytes;
// Number of I/O ports (valid ports are 0 .. kIoPortCount - 1).
inline constexpr uint64_t kIoPortCount = 0x10000;

// The current thread, whose switched state is `state`, may use ports [first, first + count)
// in user mode from now on (on every CPU it runs on). `storage` (kIoPermissionBytes) is taken
// as its permission record if it has none yet (then the function returns true), otherwise it is
// not used (false). Interrupts off; first + count <= kIoPortCount, count > 0.
inline bool AllowIoPorts(UserThreadState* state, uint8_t* storage, uint32_t first, uint32_t count) {
  bool taken = state->io.bitmap == nullptr;
  x86_64::IoPermissionAllow(&state->io, storage, first, count);
  return taken;
}

// Whether the thread whose state is `state` has a permission record already.
inline bool HasIoPermissionRecord(const UserThreadState& state) {
  return state.io.bitmap != nullptr;
}

}  // namespace hiillos::arch
