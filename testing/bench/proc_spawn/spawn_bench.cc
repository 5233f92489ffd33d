// testing/bench/proc_spawn/spawn_bench.cc — /bin/spawn_bench: the benchmark's "process spawn +
// exit + wait" row measured the way a program spawns on the running system, by path through
// proc. It runs under /sbin/init in its own image (root, vm, proc, init: the real servers), and
// per sample asks proc to spawn initfs:///bench/child (mode "exit") and waits for it through
// proc: proc reads the ELF from initfs://, builds the process, registers its space with vm, the
// child runs and exits, proc answers the wait; vm releases the space by itself. Prints the row
// for testing/bench/run_bench.sh, then "spawn_bench: done".
#include "services/lib/ipc/channel.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/proc/protocol.h"
#include "testing/bench/bench_cases.h"
#include "testing/bench/child/child_protocol.h"
#include "testing/bench/measure.h"

namespace {

using namespace hiillos;
namespace pp = proc::protocol;

bench::Samples g_samples;
bench::Samples g_overhead;

uint64_t NopSample() {
  uint64_t a = bench::ReadTsc();
  asm volatile("nop" ::: "memory");
  return bench::ReadTsc() - a;
}

// One spawn + exit + wait through proc; false when any step failed.
bool SpawnExitWait(uint32_t proc) {
  pp::Spawn::Request request{};
  const char* const strings[] = {"initfs:///bench/child", bench::child::kModeExit};
  request.arg_count = 2;
  if (!pp::PackStrings(request.strings, sizeof(request.strings), strings, 2)) return false;
  auto spawned = ipc::Call<pp::Spawn>(proc, request, nullptr, 0);
  if (!spawned.ok()) {
    rt::Printf("spawn_bench: spawn failed: %lu", spawned.error());
    return false;
  }
  auto waited = ipc::Call<pp::Wait>(proc, pp::Wait::Request{spawned.value().pid});
  if (!waited.ok() || waited.value().state != pp::kExited ||
      waited.value().exit_code != static_cast<uint64_t>(bench::child::kExitOk)) {
    rt::Printf("spawn_bench: the child did not exit with 0");
    return false;
  }
  return true;
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const char* name = "process spawn + exit + wait (through proc, ELF from an initfs path)";
  ipc::SetBuffer(reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress));
  const uint32_t proc = rt::FindCap(start, "proc");
  if (proc == 0) {
    bench::ReportMissing(name, "no proc capability");
    rt::Printf("spawn_bench: done");
    return 1;
  }
  for (int pass = 0; pass < 2; ++pass) {
    const int rounds = pass == 0 ? bench::kSpawnWarmUp : bench::kSpawnIterations;
    for (int i = 0; i < rounds; ++i) {
      const uint64_t begin = bench::ReadTsc();
      const bool ok = SpawnExitWait(proc);
      const uint64_t end = bench::ReadTsc();
      if (!ok) {
        bench::ReportMissing(name, "a spawn or wait through proc failed");
        rt::Printf("spawn_bench: done");
        return 1;
      }
      if (pass == 1) {
        g_samples.Add(end - begin);
        g_overhead.Add(NopSample());
      }
    }
  }
  g_samples.Finish();
  g_overhead.Finish();
  bench::Report(name, g_samples, &g_overhead);
  rt::Printf("spawn_bench: done");
  return 0;
}
