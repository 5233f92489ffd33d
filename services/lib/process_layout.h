// services/lib/process_layout.h — the address-space layout a spawner (services/lib/loader.h)
// gives a new program, and the fixed windows of a spawner's own address space
// (docs/startinfo.md, "Where the block is").
#pragma once

#include <stdint.h>

namespace hiillos::rt {

// In the new program: its start-information block (lib/startinfo), read-only, one page; its
// stack (read-write, zeroed) grows down from kStackTop. The program's ELF segments must keep
// clear of both (user.ld links programs from 4 MiB up).
inline constexpr uint64_t kStartInfoAddress = 0x0000'0000'0010'0000ull;  // 1 MiB
// Its first thread's IPC buffer (uapi::IpcBuffer, read-write, zeroed, one page), set with
// ThreadSetIpcBuffer before the thread starts.
inline constexpr uint64_t kIpcBufferAddress = 0x0000'0000'0011'0000ull;
inline constexpr uint64_t kStackTop = 0x0000'7fff'ffff'f000ull;
inline constexpr unsigned kStackOrder = 4;  // 64 KiB
inline constexpr uint64_t kStackSize = 0x1000ull << kStackOrder;
// Entry registers: rip = ELF entry, rsp = kStackTop, rdi = kStartInfoAddress, rsi = the block's
// size, rflags = IF, all others zero.

// In the spawner: where the loader maps one frame at a time to fill it (at most 2 MiB, aligned;
// see elf::kMaxLoadChunkOrder). The heap (page_allocator.h) is at 0x1000'0000'0000.
inline constexpr uint64_t kLoaderScratchAddress = 0x0000'2000'0000'0000ull;
// Where programs map boot-time shared data read-only (the unpacked initfs archive).
inline constexpr uint64_t kSharedDataAddress = 0x0000'3000'0000'0000ull;

}  // namespace hiillos::rt
