// testing/bench/syscall_bench.cc — the null syscall: SYSCALL with a number past the table's
// end, so the kernel enters, checks the number, and returns kInvalidSyscall (entry, dispatch
// and exit, nothing else).
#include "testing/bench/bench_cases.h"
#include "testing/bench/measure.h"
#include "uapi/syscalls.h"

namespace hiillos::bench {
namespace {

Samples g_samples;
Samples g_overhead;

// One SYSCALL (or, for the overhead, a NOP in its place) between two TSC reads.
template <bool kNop>
uint64_t OneCall() {
  uint64_t rax = uapi::kSyscallCount;
  uint64_t start = ReadTsc();
  if constexpr (kNop) {
    asm volatile("nop" : "+a"(rax)::"rcx", "r11", "rdx", "memory");
  } else {
    asm volatile("syscall" : "+a"(rax)::"rcx", "r11", "rdx", "memory");
  }
  uint64_t end = ReadTsc();
  if (!kNop && rax != static_cast<uint64_t>(uapi::Status::kInvalidSyscall)) return 0;
  return end - start;
}

}  // namespace

bool NullSyscall() {
  g_samples.Clear();
  g_overhead.Clear();
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < kIterations; ++i) {
      uint64_t call = OneCall<false>();
      uint64_t nop = OneCall<true>();
      if (call == 0) {
        ReportMissing("null syscall", "an unknown syscall number did not return InvalidSyscall");
        return false;
      }
      if (pass == 1) {
        g_samples.Add(call);
        g_overhead.Add(nop);
      }
    }
  }
  g_samples.Finish();
  g_overhead.Finish();
  Report("null syscall", g_samples, &g_overhead);
  return true;
}

}  // namespace hiillos::bench
