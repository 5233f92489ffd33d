// testing/bench/threads.h — extra threads of the benchmark process (same address space, own
// stack), pinned to a CPU, for the benchmarks that need a partner thread.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "services/lib/syscalls.h"
#include "testing/lib/thread_start.h"
#include "uapi/status.h"

namespace hiillos::bench {

using ThreadFunction = testing_lib::ThreadFunction;

struct BenchThread {
  rt::Handle thread = 0;
  void* stack = nullptr;
};

// A started thread of this process running fn(arg) on CPU `cpu` (then ThreadExit(0)).
Result<BenchThread, uapi::Status> SpawnThread(ThreadFunction fn, uint64_t arg, unsigned cpu);
// Waits for the thread to end and frees its capability and stack.
void JoinThread(BenchThread& thread);

}  // namespace hiillos::bench
