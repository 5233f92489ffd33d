// testing/conformance/cases_teardown.cc — teardown at depth and at size: object graphs far
// deeper than a kernel stack could recurse are destroyed completely, and address spaces with
// tens of thousands of 4 KiB pages are built and torn down while another CPU keeps sending TLB
// shootdowns (the leak check after each case confirms every page, object and slot came back).
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "testing/lib/irq_off_report.h"
#include "uapi/rights.h"
#include "uapi/syscalls.h"

namespace hiillos::conformance {
namespace {

using uapi::Rights;
using uapi::Status;

constexpr int kChainLength = 1000;

// P[0] owns a capability to P[1], which owns one to P[2], ... Deleting our handle to P[0] after
// dropping the others destroys P[0], whose capabilities go, which destroys P[1], ...: with
// recursive teardown this overflows the kernel stack long before the end of the chain.
CONFORMANCE_CASE(teardown_process_chain_1000_deep) {
  static Handle chain[kChainLength];
  int built = 0;
  for (; built < kChainLength; ++built) {
    auto process = rt::MemoryAllocProcess(kMemory, kOwnVmem);
    EXPECT_OK(process);
    if (!process.ok()) break;
    chain[built] = process.value();
  }
  for (int i = 0; i + 1 < built; ++i) {
    auto given = rt::ProcessGiveCap(chain[i], chain[i + 1], Rights::kRead);
    EXPECT_OK(given);
    if (!given.ok()) break;
  }
  // Only the chain keeps P[1..] alive now; the last deletion tears all of it down.
  for (int i = built - 1; i >= 1; --i) EXPECT_OK(rt::CapDelete(chain[i]));
  if (built > 0) EXPECT_OK(rt::CapDelete(chain[0]));
}

// --- Large address spaces -----------------------------------------------------------------------

// 64 MiB frame mapped at an address that is not 2 MiB aligned: 16384 leaves of 4 KiB.
constexpr uint64_t kLargeOrder = 14;
constexpr uint64_t kLargeBase = 0x10'0000'1000ull;
constexpr uint64_t kFlusherPage = kScratchBase + 0x1000'0000;

// Shared with the flusher child (same address space).
volatile uint64_t g_stop_flushing;
volatile uint64_t g_flushes;

// The flusher: maps and unmaps a page of the suite's own address space until told to stop;
// every unmap is a TLB shootdown to each CPU running that address space (the suite's thread).
// arg: vmem handle << 42 | frame handle << 21 | memory handle (its own capabilities; the
// Memory pays for the mappings).
void Flusher(uint64_t arg) {
  constexpr uint64_t kMask = (uint64_t{1} << 21) - 1;
  const auto vmem = static_cast<Handle>(arg >> 42);
  const auto frame = static_cast<Handle>((arg >> 21) & kMask);
  const auto memory = static_cast<Handle>(arg & kMask);
  uint64_t failures = 0;
  while (g_stop_flushing == 0) {
    if (!rt::VmemMap(vmem, frame, kFlusherPage, uapi::kMapRead | uapi::kMapWrite, memory).ok())
      ++failures;
    if (!rt::VmemUnmap(vmem, kFlusherPage).ok()) ++failures;
    g_flushes = g_flushes + 1;
  }
  rt::ThreadExit(failures);
}

struct FlusherRun {
  Child child;
  bool started = false;
};

// Starts the flusher on another CPU than ours if there is one.
FlusherRun StartFlusher() {
  FlusherRun run;
  g_stop_flushing = 0;
  g_flushes = 0;
  auto child = SpawnShared(Flusher, 0, /*start=*/false);
  EXPECT_OK(child);
  if (!child.ok()) return run;
  run.child = child.value();
  auto frame = rt::MemoryAllocFrame(kMemory, 0);
  EXPECT_OK(frame);
  auto vmem = rt::ProcessGiveCap(run.child.process, kOwnVmem, Rights::kMap);
  auto given_frame = frame.ok() ? rt::ProcessGiveCap(run.child.process, frame.value(),
                                                     Rights::kMap | Rights::kRead | Rights::kWrite)
                                : vmem;
  auto memory = rt::ProcessGiveCap(run.child.process, kMemory, Rights::kWrite);
  EXPECT_OK(vmem);
  EXPECT_OK(given_frame);
  EXPECT_OK(memory);
  if (frame.ok()) EXPECT_OK(rt::CapDelete(frame.value()));  // the child's copy keeps it
  if (!vmem.ok() || !given_frame.ok() || !memory.ok()) return run;
  uint64_t arg =
      (uint64_t{vmem.value()} << 42) | (uint64_t{given_frame.value()} << 21) | memory.value();
  uapi::ThreadRegs regs = SharedChildRegs(Flusher, arg, run.child.stack);
  EXPECT_OK(rt::ThreadSetRegs(run.child.thread, &regs));
  auto info = rt::SystemInfo();
  if (info.ok() && info.value().cpus_online > 1) {
    // The suite on CPU 0, the flusher on CPU 1: its shootdowns interrupt our kernel work.
    EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 1));
    (void)rt::Yield();  // moves at its next scheduling decision
    EXPECT_OK(rt::ThreadSetAffinity(run.child.thread, 2));
  }
  EXPECT_OK(rt::ThreadStart(run.child.thread));
  run.started = true;
  // Let it get going so that the work below overlaps its shootdowns.
  while (g_flushes < 4) (void)rt::Yield();
  return run;
}

void StopFlusher(FlusherRun& run) {
  if (run.child.process == 0) return;
  if (run.started) {
    g_stop_flushing = 1;
    uapi::ThreadExit exit = Wait(run.child);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), static_cast<uint64_t>(uapi::ExitReason::kExited));
    EXPECT_EQ(exit.code, 0u);  // every map and unmap it made succeeded
  }
  Release(run.child);
  EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 0));
}

// A fresh Vmem with the large frame mapped in 4 KiB pages; returns {vmem, frame}.
bool MapLarge(Handle* vmem, Handle* frame) {
  auto v = rt::MemoryAllocVmem(kMemory);
  auto f = rt::MemoryAllocFrame(kMemory, kLargeOrder);
  EXPECT_OK(v);
  EXPECT_OK(f);
  if (!v.ok() || !f.ok()) {
    if (v.ok()) EXPECT_OK(rt::CapDelete(v.value()));
    if (f.ok()) EXPECT_OK(rt::CapDelete(f.value()));
    return false;
  }
  *vmem = v.value();
  *frame = f.value();
  EXPECT_OK(rt::VmemMap(*vmem, *frame, kLargeBase, uapi::kMapRead | uapi::kMapWrite, kMemory));
  return true;
}

// Deleting a Vmem with 16384 4 KiB pages while another CPU keeps shooting down TLB entries:
// the teardown serves the shootdown IPIs between chunks instead of making the other CPU wait
// for all of it (which used to end in a shootdown time-out panic).
CONFORMANCE_CASE(teardown_vmem_with_16k_pages_while_another_cpu_flushes) {
  FlusherRun flusher = StartFlusher();
  Handle vmem = 0, frame = 0;
  if (MapLarge(&vmem, &frame)) {
    const uint64_t before = g_flushes;
    EXPECT_OK(rt::CapDelete(vmem));  // the last reference: the whole address space goes
    EXPECT_OK(rt::CapDelete(frame));
    EXPECT_TRUE(g_flushes >= before);
  }
  StopFlusher(flusher);
}

// The same mapping unmapped explicitly (VmemUnmap takes it down chunk by chunk) and mapped
// again: the range stays reserved until the unmap returns, and is free right after.
CONFORMANCE_CASE(teardown_unmap_16k_pages_while_another_cpu_flushes) {
  FlusherRun flusher = StartFlusher();
  Handle vmem = 0, frame = 0;
  if (MapLarge(&vmem, &frame)) {
    EXPECT_OK(rt::VmemUnmap(vmem, kLargeBase));
    EXPECT_STATUS(rt::VmemUnmap(vmem, kLargeBase), Status::kNotMapped);
    EXPECT_OK(rt::VmemMap(vmem, frame, kLargeBase, uapi::kMapRead, kMemory));
    EXPECT_STATUS(
        rt::VmemMap(vmem, frame, kLargeBase + (uint64_t{1} << 30), uapi::kMapRead, kMemory),
        Status::kAlreadyMapped);
    EXPECT_OK(rt::VmemUnmap(vmem, kLargeBase));
    EXPECT_OK(rt::CapDelete(vmem));
    EXPECT_OK(rt::CapDelete(frame));
  }
  StopFlusher(flusher);
}

// --- SystemIrqOffStats -------------------------------------------------------------------------

CONFORMANCE_CASE(system_irq_off_stats) {
  static uapi::IrqOffStats stats;
  // Keep the run's worst case before this case resets the kernel's record.
  testing_lib::IrqOffFold();
  EXPECT_OK(rt::SystemIrqOffStats(&stats, 0));
  EXPECT_EQ(stats.cpus, uapi::kIrqOffStatsCpus);
  // Reset, then read: the reading call's own stretch (or a later one) is the only data since.
  EXPECT_OK(rt::SystemIrqOffStats(&stats, uapi::kIrqOffReset));
  EXPECT_OK(rt::SystemIrqOffStats(&stats, 0));
  uint64_t recorded = 0;
  for (uint64_t cpu = 0; cpu < stats.cpus; ++cpu) {
    if (stats.cpu[cpu].max_ticks == 0) {
      EXPECT_EQ(stats.cpu[cpu].where, 0u);
      continue;
    }
    ++recorded;
    const uint64_t kind = stats.cpu[cpu].where >> 56;
    EXPECT_TRUE(kind == uapi::kIrqOffWhereSyscall || kind == uapi::kIrqOffWhereInterrupt ||
                kind == uapi::kIrqOffWhereWindow);
  }
  EXPECT_TRUE(recorded >= 1);  // at least the reset call's own tail on our CPU
  // Errors: the reset argument, the output pointer (nothing is reset when the copy fails).
  EXPECT_STATUS(rt::raw::SystemIrqOffStats(reinterpret_cast<uint64_t>(&stats), 2),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::SystemIrqOffStats(0, 0), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::SystemIrqOffStats(0xffff'8000'0000'0000ull, uapi::kIrqOffReset),
                Status::kBadAddress);
  EXPECT_STATUS(rt::raw::SystemIrqOffStats(kScratchBase, 0), Status::kBadAddress);
}

}  // namespace
}  // namespace hiillos::conformance
