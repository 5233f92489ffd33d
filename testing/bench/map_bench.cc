// testing/bench/map_bench.cc — frame map + unmap of one 4 KiB frame in the caller's own
// address space (VmemMap then VmemUnmap, page tables already present after the warm-up).
#include "testing/bench/bench_cases.h"
#include "testing/bench/measure.h"
#include "uapi/syscalls.h"

namespace hiillos::bench {
namespace {

Samples g_samples;
Samples g_overhead;

}  // namespace

bool FrameMapUnmap() {
  auto frame = rt::MemoryAllocFrame(kMemory, 0);
  if (!frame.ok()) {
    ReportMissing("frame map + unmap 4 KiB", "MemoryAllocFrame failed");
    return false;
  }
  g_samples.Clear();
  g_overhead.Clear();
  bool ok = true;
  for (int pass = 0; pass < 2 && ok; ++pass) {
    for (int i = 0; i < kIterations; ++i) {
      uint64_t start = ReadTsc();
      auto mapped = rt::VmemMap(kOwnVmem, frame.value(), kScratchBase,
                                uapi::kMapRead | uapi::kMapWrite, kMemory);
      auto unmapped = rt::VmemUnmap(kOwnVmem, kScratchBase);
      uint64_t end = ReadTsc();
      uint64_t nop_start = ReadTsc();
      asm volatile("nop" ::: "memory");
      asm volatile("nop" ::: "memory");
      uint64_t nop_end = ReadTsc();
      if (!mapped.ok() || !unmapped.ok()) {
        ReportMissing("frame map + unmap 4 KiB", "VmemMap or VmemUnmap failed");
        ok = false;
        break;
      }
      if (pass == 1) {
        g_samples.Add(end - start);
        g_overhead.Add(nop_end - nop_start);
      }
    }
  }
  (void)rt::CapDelete(frame.value());
  if (!ok) return false;
  g_samples.Finish();
  g_overhead.Finish();
  Report("frame map + unmap 4 KiB", g_samples, &g_overhead);
  return true;
}

}  // namespace hiillos::bench
