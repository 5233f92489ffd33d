// testing/conformance/cases_tlb.cc — TLB shootdown as user space sees it: a thread running on
// another CPU in the same address space must see a remapped page's new frame, and fault on an
// unmapped page, as soon as VmemMap/VmemUnmap has returned. The two threads are pinned to
// different CPUs and the reader keeps its translation of the page hot in between; without the
// remote part of the shootdown it would go on reading the old frame. (Needs 2 CPUs; on one CPU
// the case checks nothing and says so.) The shootdown interrupts only the CPUs that have the
// address space loaded (docs/kernel-memory.md), so the second case puts a reader on every other
// CPU and checks that each of them faults once the unmap has returned.
#include "lib/base/atomic.h"
#include "services/lib/print.h"
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"

namespace hiillos::conformance {
namespace {

using uapi::Status;

constexpr uint64_t kPage = kScratchBase + 0x6000'0000;     // the page both threads use
constexpr uint64_t kStaging = kScratchBase + 0x6001'0000;  // where the second frame is filled
constexpr uint64_t kFirst = 0x1111'1111'1111'1111ull;
constexpr uint64_t kSecond = 0x2222'2222'2222'2222ull;

Atomic<uint64_t> g_phase;  // set by the main thread: 1, 2, 3
Atomic<uint64_t> g_ack;    // set by the reader when it has read the page in that phase
uint64_t g_seen[2];

uint64_t ReadPage() {
  return *reinterpret_cast<volatile uint64_t*>(kPage);
}

void WaitFor(Atomic<uint64_t>& value, uint64_t wanted) {
  while (value.Load(MemoryOrder::kAcquire) != wanted) __builtin_ia32_pause();
}

// The reader (pinned to CPU 1): reads the page once per phase, spinning on g_phase (another
// page) in between, so its translation of kPage stays in its TLB. In phase 3 the page is
// unmapped: the read must fault (ending the thread); if it does not, the thread exits normally.
void Reader(uint64_t) {
  WaitFor(g_phase, 1);
  g_seen[0] = ReadPage();
  g_ack.Store(1, MemoryOrder::kRelease);
  WaitFor(g_phase, 2);
  g_seen[1] = ReadPage();
  g_ack.Store(2, MemoryOrder::kRelease);
  WaitFor(g_phase, 3);
  (void)ReadPage();
  g_ack.Store(3, MemoryOrder::kRelease);
}

// The second case: one reader per other CPU, each with its own acknowledgement.
constexpr uint64_t kEveryPage = kScratchBase + 0x6002'0000;
constexpr uint32_t kMaxReaders = 63;
Atomic<uint64_t> g_every_phase;
Atomic<uint64_t> g_every_ready;  // readers that have read the page once
Atomic<uint64_t> g_every_after;  // readers whose read after the unmap did not fault

// Pinned to one CPU: reads the page (its translation stays hot), then spins on another page
// until the unmap has returned, then reads it again, which must fault.
void EveryReader(uint64_t) {
  (void)*reinterpret_cast<volatile uint64_t*>(kEveryPage);
  g_every_ready.FetchAdd(1, MemoryOrder::kAcqRel);
  WaitFor(g_every_phase, 1);
  (void)*reinterpret_cast<volatile uint64_t*>(kEveryPage);
  g_every_after.FetchAdd(1, MemoryOrder::kAcqRel);
}

}  // namespace

CONFORMANCE_CASE(tlb_every_cpu_running_the_space_faults_after_unmap) {
  auto info = rt::SystemInfo();
  EXPECT_OK(info);
  if (!info.ok()) return;
  const uint64_t cpus = info.value().cpus_online;
  if (cpus < 2) {
    rt::Printf("conformance:   (one CPU: no remote TLB to check)");
    return;
  }
  const uint32_t readers = cpus - 1 < kMaxReaders ? static_cast<uint32_t>(cpus - 1) : kMaxReaders;
  g_every_phase.Store(0, MemoryOrder::kRelaxed);
  g_every_ready.Store(0, MemoryOrder::kRelaxed);
  g_every_after.Store(0, MemoryOrder::kRelaxed);
  auto frame = rt::MemoryAllocFrame(kMemory, 0);
  EXPECT_OK(frame);
  if (!frame.ok()) return;
  EXPECT_OK(rt::VmemMap(kOwnVmem, frame.value(), kEveryPage, uapi::kMapRead, kMemory));
  EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 1u << 0));
  Child children[kMaxReaders];
  uint32_t started = 0;
  for (uint32_t i = 0; i < readers; ++i) {
    auto child = SpawnShared(EveryReader, 0, /*start=*/false);
    EXPECT_OK(child);
    if (!child.ok()) break;
    children[started] = child.value();
    EXPECT_OK(rt::ThreadSetAffinity(children[started].thread, 1ull << (i + 1)));
    EXPECT_OK(rt::ThreadStart(children[started].thread));
    ++started;
  }
  WaitFor(g_every_ready, started);
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, kEveryPage));
  g_every_phase.Store(1, MemoryOrder::kRelease);
  for (uint32_t i = 0; i < started; ++i) {
    uapi::ThreadExit exit = Wait(children[i]);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason),
              static_cast<uint64_t>(uapi::ExitReason::kFaulted));
    EXPECT_EQ(exit.fault_addr, kEveryPage);
    Release(children[i]);
  }
  EXPECT_EQ(g_every_after.Load(MemoryOrder::kAcquire), 0u);
  EXPECT_EQ(started, readers);
  EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 0));
  EXPECT_OK(rt::CapDelete(frame.value()));
}

CONFORMANCE_CASE(tlb_remote_cpu_sees_remap_and_unmap) {
  auto info = rt::SystemInfo();
  EXPECT_OK(info);
  if (!info.ok()) return;
  if (info.value().cpus_online < 2) {
    rt::Printf("conformance:   (one CPU: no remote TLB to check)");
    return;
  }
  g_phase.Store(0, MemoryOrder::kRelaxed);
  g_ack.Store(0, MemoryOrder::kRelaxed);
  g_seen[0] = g_seen[1] = 0;
  auto first = rt::MemoryAllocFrame(kMemory, 0);
  auto second = rt::MemoryAllocFrame(kMemory, 0);
  EXPECT_OK(first);
  EXPECT_OK(second);
  if (!first.ok() || !second.ok()) return;
  // Fill the second frame through a staging mapping, the first in place.
  EXPECT_OK(
      rt::VmemMap(kOwnVmem, second.value(), kStaging, uapi::kMapRead | uapi::kMapWrite, kMemory));
  *reinterpret_cast<volatile uint64_t*>(kStaging) = kSecond;
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, kStaging));
  EXPECT_OK(rt::VmemMap(kOwnVmem, first.value(), kPage, uapi::kMapRead | uapi::kMapWrite, kMemory));
  *reinterpret_cast<volatile uint64_t*>(kPage) = kFirst;

  EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 1u << 0));
  auto child = SpawnShared(Reader, 0, /*start=*/false);
  EXPECT_OK(child);
  if (child.ok()) {
    Child reader = child.value();
    EXPECT_OK(rt::ThreadSetAffinity(reader.thread, 1u << 1));
    EXPECT_OK(rt::ThreadStart(reader.thread));
    g_phase.Store(1, MemoryOrder::kRelease);
    WaitFor(g_ack, 1);
    EXPECT_EQ(g_seen[0], kFirst);

    // Remap: the reader's next read must see the second frame.
    EXPECT_OK(rt::VmemUnmap(kOwnVmem, kPage));
    EXPECT_OK(rt::VmemMap(kOwnVmem, second.value(), kPage, uapi::kMapRead, kMemory));
    g_phase.Store(2, MemoryOrder::kRelease);
    WaitFor(g_ack, 2);
    EXPECT_EQ(g_seen[1], kSecond);

    // Unmap: the reader's next read must fault at the page.
    EXPECT_OK(rt::VmemUnmap(kOwnVmem, kPage));
    g_phase.Store(3, MemoryOrder::kRelease);
    uapi::ThreadExit exit = Wait(reader);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason),
              static_cast<uint64_t>(uapi::ExitReason::kFaulted));
    EXPECT_EQ(exit.fault_addr, kPage);
    EXPECT_EQ(g_ack.Load(MemoryOrder::kAcquire), 2u);
    Release(reader);
  }
  (void)rt::VmemUnmap(kOwnVmem, kPage);
  EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 0));
  EXPECT_OK(rt::CapDelete(first.value()));
  EXPECT_OK(rt::CapDelete(second.value()));
}

}  // namespace hiillos::conformance
