// testing/syscall_fuzz/worker.h — one fuzzing thread: what the parent gives it (WorkerConfig)
// and what it reports back (WorkerReport), both in memory the parent and the child process
// share (the child runs in the parent's address space but holds no capability to it).
#pragma once

#include <stdint.h>

#include "lib/base/atomic.h"
#include "uapi/syscall_args.h"
#include "uapi/syscalls.h"

namespace hiillos::syscall_fuzz {

// Virtual layout the parent sets up in its own address space for the workers.
// Worker i's scratch: two read-write pages at kScratchBase + i * kScratchStride, then unmapped
// pages up to the next worker's scratch (so a pointer near the end runs off into nothing).
inline constexpr uint64_t kScratchBase = 0x0000'3000'0000'0000ull;
inline constexpr uint64_t kScratchStride = 0x10'0000ull;
inline constexpr uint64_t kScratchBytes = 0x2000;
inline constexpr unsigned kScratchOrder = 1;
// One page mapped read-only (the kernel must refuse to write results there).
inline constexpr uint64_t kReadOnlyPage = 0x0000'3100'0000'0000ull;
// Never mapped in the parent's address space.
inline constexpr uint64_t kUnmappedPage = 0x0000'3200'0000'0000ull;

struct WorkerConfig {
  uint32_t index = 0;
  uint64_t seed = 0;
  uint64_t calls = 0;  // how many syscalls this worker issues
  uint64_t scratch = 0;
  // Handles (owned by the child process) the worker starts with.
  uapi::Handle memory = 0;  // a Memory with every right (shared with the parent's budget)
  uapi::Handle frame = 0;   // a read-only frame (Read, Map, Clone, Transfer)
  // Every worker's memory and frame handles (no worker deletes them).
  const uapi::Handle* protected_handles = nullptr;
  uint32_t protected_count = 0;
};

struct WorkerReport {
  Atomic<uint64_t> calls_done;
  Atomic<uint64_t> last_syscall;  // number of the call in progress (the watchdog prints it)
  Atomic<uint64_t> finished;      // 1 once the worker's calls are all done
  uint64_t calls[uapi::kSyscallCount];
  uint64_t successes[uapi::kSyscallCount];
  uint64_t tsc_ticks[uapi::kSyscallCount];  // time spent in each call (argument drawing included)
  uint64_t skipped;  // calls the confinement rules refused to make (see generator.cc)
};

// The worker thread's entry: arg is a WorkerArgs* (config + report).
struct WorkerArgs {
  WorkerConfig config;
  WorkerReport* report;
};
void RunWorker(uint64_t args);

}  // namespace hiillos::syscall_fuzz
