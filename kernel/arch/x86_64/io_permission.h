// kernel/arch/x86_64/io_permission.h — ring-3 port I/O through the TSS I/O permission bitmap,
// per thread.
//
// A thread that was granted ports owns a bitmap (kIoMapBytes, 1 = denied) in memory the generic
// kernel allocated and charged; its UserState points at it, with the number of leading bytes
// that may hold a 0 bit (`io_bytes`: everything after is all ones) and a generation number,
// unique across the system, changed whenever the bitmap changes.
//
// Switching (RestoreUserState): a thread without a bitmap only sets TSS.io_map_base beyond the
// limit (one store). A thread with one makes the CPU's TSS bitmap a copy of it, unless the TSS
// already holds that generation: it copies `io_bytes` bytes and resets to all ones what the
// previous copy used beyond them. A driver that owns ports 0x60-0x64 thus costs 13 bytes per
// switch-in after another port user ran on the CPU, and nothing otherwise; the worst case (a
// thread granted port 0xffff) is an 8 KiB copy.
//
// Locking: only the thread itself changes its bitmap (IoPermissionAllow on the current thread,
// interrupts off), and a CPU reads it only while switching that thread in; the per-CPU cache
// record is touched by its own CPU with interrupts off.
#pragma once

#include <stdint.h>

namespace hiillos::arch::x86_64 {

struct IoPermissionState {
  uint8_t* bitmap = nullptr;  // kIoMapBytes; nullptr: no port access
  uint32_t bytes = 0;         // bytes of `bitmap` that may hold a 0 bit
  uint64_t generation = 0;
};

// Bytes of memory a thread's bitmap needs.
inline constexpr uint64_t kIoPermissionBytes = 0x10000 / 8;

// The current thread (whose state is `state`) may use ports [first, first + count) from now on.
// `storage` (kIoPermissionBytes) becomes its bitmap if it has none yet; otherwise it is unused.
// Interrupts off. first + count <= 0x10000.
void IoPermissionAllow(IoPermissionState* state, uint8_t* storage, uint32_t first, uint32_t count);
// Loads `state`'s bitmap into this CPU's TSS (switch-in of a user thread). Interrupts off.
void IoPermissionLoad(const IoPermissionState& state);

}  // namespace hiillos::arch::x86_64
