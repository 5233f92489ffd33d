// services/init/boot_stages.cc — TSC deltas to microseconds, stage by stage.
#include "services/init/boot_stages.h"

namespace hiillos::init {

uint64_t TicksPerMillisecond(uint64_t loader_tsc, uint64_t now_tsc, uint64_t uptime_ns) {
  const uint64_t uptime_ms = uptime_ns / 1'000'000;
  if (now_tsc <= loader_tsc || uptime_ms == 0) return 0;
  return (now_tsc - loader_tsc) / uptime_ms;
}

namespace {

// ticks * 1000 / ticks_per_ms without overflow: whole milliseconds, then the remainder
// (saturating at the largest value for absurd inputs).
uint64_t TicksToMicros(uint64_t ticks, uint64_t ticks_per_ms) {
  const uint64_t whole_ms = ticks / ticks_per_ms;
  const uint64_t rest = ticks % ticks_per_ms;
  const uint64_t rest_micros =
      rest <= ~uint64_t{0} / 1000 ? rest * 1000 / ticks_per_ms : rest / ticks_per_ms * 1000;
  return whole_ms > (~uint64_t{0} - 999) / 1000 ? ~uint64_t{0} : whole_ms * 1000 + rest_micros;
}

}  // namespace

bool ComputeBootStages(const BootTimestamps& at, uint64_t ticks_per_ms,
                       BootStage (&out)[kBootStageCount]) {
  const uint64_t bounds[kBootStageCount + 1] = {0,       at.loader, at.kernel, at.root,
                                                at.proc, at.init,   at.ready,  at.started};
  static constexpr const char* kNames[kBootStageCount] = {"firmware", "loader", "kernel",  "root",
                                                          "proc",     "init",   "programs"};
  if (ticks_per_ms == 0) return false;
  for (size_t i = 0; i < kBootStageCount; ++i) {
    if (bounds[i + 1] < bounds[i]) return false;
  }
  for (size_t i = 0; i < kBootStageCount; ++i) {
    const uint64_t ticks = bounds[i + 1] - bounds[i];
    out[i].name = kNames[i];
    out[i].ticks = ticks;
    out[i].micros = TicksToMicros(ticks, ticks_per_ms);
  }
  return true;
}

bool ComputeReady(const BootTimestamps& at, uint64_t ticks_per_ms, BootStage* out) {
  if (ticks_per_ms == 0 || at.started < at.kernel) return false;
  out->name = "ready";
  out->ticks = at.started - at.kernel;
  out->micros = TicksToMicros(out->ticks, ticks_per_ms);
  return true;
}

}  // namespace hiillos::init
