// testing/bench/bench_cases.h — the benchmarks the image runs, in report order. Each prints its
// row(s) with bench::Report (measure.h) and returns false if it could not run.
#pragma once

#include <stdint.h>

#include "services/lib/syscalls.h"
#include "uapi/initial_caps.h"

namespace hiillos::bench {

inline constexpr rt::Handle kSelf = uapi::kRootProcessHandle;
inline constexpr rt::Handle kOwnVmem = uapi::kRootVmemHandle;
inline constexpr rt::Handle kOwnThread = uapi::kRootThreadHandle;
inline constexpr rt::Handle kMemory = uapi::kRootMemoryHandle;

// Where benchmarks map frames (away from the image, heap and stack).
inline constexpr uint64_t kScratchBase = 0x0000'2000'0000'0000ull;
// Samples per row (after a warm-up of the same size that is thrown away).
inline constexpr int kIterations = 1000;
// Process spawn + exit + wait costs ~10^5 instructions or more: fewer rounds.
inline constexpr int kSpawnWarmUp = 10;
inline constexpr int kSpawnIterations = 100;

bool NullSyscall();
bool FrameMapUnmap();
bool YieldToThread();
bool IpcRoundTripSameCpu();
bool IpcRoundTripFpu();
bool IpcRoundTripCrossCpu();
bool IpcRoundTripAcrossSpaces();  // process_bench.cc
bool IpcRoundTripCarryCap();
bool IpcConcurrentPairs();  // pairs_bench.cc: three rows (1, 2, 4 pairs)
bool NotifyWake();
bool IrqToHandler();          // irq_bench.cc
bool ProcessSpawnExitWait();  // process_bench.cc
// Interrupts-off worst case: reset at the start of the run, reported at its end.
void IrqOffReset();
bool IrqOffWorstCase();

}  // namespace hiillos::bench
