// testing/bench/bench_main.cc — the benchmark image's root process: runs every benchmark in
// report order between `bench: begin` and `bench: end` lines and exits with the number of
// benchmarks that could not run (the kernel turns that into the QEMU exit status).
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/start.h"
#include "testing/bench/bench_cases.h"
#include "testing/bench/child_image.h"

int UserMain(uint64_t boot_info, uint64_t) {
  using namespace hiillos;
  rt::SetLogHandle(uapi::kRootLogHandle);
  rt::InitPages(bench::kMemory, bench::kOwnVmem);
  bench::SetBootInfo(boot_info);
  rt::Printf("bench: begin");
  bench::IrqOffReset();
  bool (*const benchmarks[])() = {
      bench::NullSyscall,
      bench::YieldToThread,
      bench::IpcRoundTripSameCpu,
      bench::IpcRoundTripFpu,
      bench::IpcRoundTripAcrossSpaces,
      bench::IpcRoundTripCrossCpu,
      bench::IpcRoundTripCarryCap,
      bench::IpcConcurrentPairs,
      bench::NotifyWake,
      bench::IrqToHandler,
      bench::FrameMapUnmap,
      bench::ProcessSpawnExitWait,
      bench::IrqOffWorstCase,
  };
  int failed = 0;
  for (auto benchmark : benchmarks) {
    if (!benchmark()) ++failed;
  }
  rt::Printf("bench: end (%d failed)", failed);
  return failed;
}
