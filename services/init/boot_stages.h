// services/init/boot_stages.h — the boot-stage summary init prints once every configured
// program has started (docs/boot-stages.md): one duration per stage, from TSC timestamps taken
// at each stage boundary, converted with the kernel clock's rate. Pure logic, host-tested.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::init {

inline constexpr size_t kBootStageCount = 7;

// TSC values at the boundaries: the machine's reset (0), loader entry, kernel entry, root's
// first instruction, root starting the servers (proc), init's first instruction, init ready
// (configuration read), every program started. Must be non-decreasing.
struct BootTimestamps {
  uint64_t loader = 0;   // BootInfo::tsc_loader_start
  uint64_t kernel = 0;   // BootInfo::tsc_handoff
  uint64_t root = 0;     // root's first TSC read
  uint64_t proc = 0;     // root starts /sbin/proc (the vm/proc stage)
  uint64_t init = 0;     // init's first TSC read
  uint64_t ready = 0;    // init has read its configuration
  uint64_t started = 0;  // init has started every program it could
};

struct BootStage {
  const char* name;  // "firmware", "loader", "kernel", "root", "proc", "init", "programs"
  uint64_t micros;   // duration
  uint64_t ticks;    // the same in TSC ticks (guest instructions x 128 under QEMU -icount)
};

// TSC ticks per millisecond from a reference pair: the kernel clock (SystemInfo::uptime_ns,
// counted from the loader's entry) read at TSC `now`. 0 when it cannot tell (no time elapsed).
uint64_t TicksPerMillisecond(uint64_t loader_tsc, uint64_t now_tsc, uint64_t uptime_ns);

// The stages' durations; false (nothing written) when the timestamps are out of order or the
// rate is 0.
bool ComputeBootStages(const BootTimestamps& at, uint64_t ticks_per_ms,
                       BootStage (&out)[kBootStageCount]);

// "ready": kernel entry (at.kernel) to every service started (at.started), the span
// "init: all services ready at X ms" reports (not a stage: it overlaps the kernel..programs
// stages). False when at.started < at.kernel or the rate is 0.
bool ComputeReady(const BootTimestamps& at, uint64_t ticks_per_ms, BootStage* out);

}  // namespace hiillos::init
