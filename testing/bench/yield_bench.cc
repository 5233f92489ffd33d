// testing/bench/yield_bench.cc — thread yield to another thread: two threads of this process
// on CPU 0 hand the CPU back and forth with Yield. A sample runs from one thread's TSC read
// right before its Yield to the other thread's read right after its own Yield returned.
#include "testing/bench/bench_cases.h"
#include "testing/bench/measure.h"
#include "testing/bench/threads.h"

namespace hiillos::bench {
namespace {

Samples g_samples;
Samples g_overhead;
// Written by whichever thread runs (both are on CPU 0, one at a time).
volatile uint64_t g_stamp = 0;
volatile int g_rounds_left = 0;
volatile bool g_partner_ready = false;

// One side of the ping-pong: after each Yield returns, the sample is the time since the other
// side's stamp; then stamp and hand over again.
void PingPong(bool record) {
  while (g_rounds_left > 0) {
    g_stamp = ReadTsc();
    (void)rt::Yield();
    uint64_t now = ReadTsc();
    if (record) g_samples.Add(now - g_stamp);
    g_rounds_left = g_rounds_left - 1;
  }
}

void Partner(uint64_t) {
  g_partner_ready = true;
  PingPong(true);
}

}  // namespace

bool YieldToThread() {
  if (!rt::ThreadSetAffinity(kOwnThread, 1).ok()) {
    ReportMissing("thread yield to another thread", "cannot pin the main thread to CPU 0");
    return false;
  }
  g_samples.Clear();
  g_overhead.Clear();
  g_partner_ready = false;
  g_rounds_left = 4 * kIterations;
  auto partner = SpawnThread(Partner, 0, 0);
  if (!partner.ok()) {
    ReportMissing("thread yield to another thread", "cannot start the partner thread");
    return false;
  }
  while (!g_partner_ready) (void)rt::Yield();
  // The first rounds warm up; the samples kept are those of the last 2 * kIterations.
  g_samples.Clear();
  PingPong(true);
  JoinThread(partner.value());
  for (int i = 0; i < kIterations; ++i) {
    uint64_t start = ReadTsc();
    g_stamp = start;
    asm volatile("nop" ::: "memory");
    g_overhead.Add(ReadTsc() - g_stamp);
  }
  // A sample whose partner had exited (the last round) measures no switch; drop nothing else.
  if (g_samples.count() < static_cast<size_t>(kIterations)) {
    ReportMissing("thread yield to another thread", "too few switches measured");
    return false;
  }
  g_samples.Finish();
  g_overhead.Finish();
  Report("thread yield to another thread", g_samples, &g_overhead);
  return true;
}

}  // namespace hiillos::bench
