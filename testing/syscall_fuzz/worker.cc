// testing/syscall_fuzz/worker.cc — the worker loop: draw a call, make it, count it.
#include "testing/syscall_fuzz/worker.h"

#include "services/lib/syscalls.h"
#include "testing/syscall_fuzz/call_table.h"

namespace hiillos::syscall_fuzz {

void RunWorker(uint64_t raw_args) {
  const auto* args = reinterpret_cast<const WorkerArgs*>(raw_args);
  const WorkerConfig& config = args->config;
  WorkerReport& report = *args->report;
  Context c{Rng(config.seed, config.index), HandlePool{}, config.scratch, config.protected_handles,
            config.protected_count};
  c.pool.Pin(config.memory);
  c.pool.Pin(config.frame);
  uint64_t made = 0;  // skipped draws do not count: `calls` syscalls are made
  while (made < config.calls) {
    const CallEntry& entry = PickCall(c.rng);
    report.last_syscall.Store(entry.number, MemoryOrder::kRelaxed);
    uint64_t begin = __builtin_ia32_rdtsc();
    Outcome outcome = entry.invoke(c);
    report.tsc_ticks[entry.number] += __builtin_ia32_rdtsc() - begin;
    switch (outcome) {
      case Outcome::kSkipped:
        ++report.skipped;
        break;
      case Outcome::kSucceeded:
        ++report.successes[entry.number];
        [[fallthrough]];
      case Outcome::kFailed:
        ++report.calls[entry.number];
        ++made;
        break;
    }
    report.calls_done.Store(made, MemoryOrder::kRelease);
  }
  report.finished.Store(1, MemoryOrder::kRelease);
}

}  // namespace hiillos::syscall_fuzz
