// testing/syscall_fuzz/main.cc — the random-syscall fuzzer's parent: runs as the root process
// of its own image (//testing:syscall_fuzz_image). It sets up a child process that shares its
// address space but holds no capability to it (nor to itself or its threads), runs the workers
// (worker.cc) as threads of that child on every CPU, waits for them, and checks that the
// kernel gave everything back: once the child is gone, capability slots, live objects, the
// Memory's used bytes and free pages are at their baseline. Exit code = failures (the kernel
// turns the root's exit into the QEMU verdict; a kernel panic fails the run too).
//
// Reproducibility: worker i's random stream is a function of (seed, i) only. What it does with
// it also depends on the kernel's answers (which handles exist, which calls failed), and on
// several CPUs those depend on how the workers interleave, which is not deterministic. One
// worker on one CPU (fuzz.threads=1, --smp 1) replays a run closely.
#include "lib/base/atomic.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "testing/lib/irq_off_report.h"
#include "testing/syscall_fuzz/call_table.h"
#include "testing/syscall_fuzz/options.h"
#include "testing/syscall_fuzz/worker.h"
#include "uapi/initial_caps.h"

namespace hiillos::syscall_fuzz {
namespace {

using uapi::Handle;
using uapi::Rights;
using uapi::Status;

constexpr Handle kOwnVmem = uapi::kRootVmemHandle;
constexpr Handle kOwnThread = uapi::kRootThreadHandle;
constexpr Handle kMemory = uapi::kRootMemoryHandle;
constexpr Handle kBootInfoFrame = uapi::kRootBootInfoHandle;

constexpr unsigned kStackOrder = 2;  // 16 KiB per worker
constexpr uint64_t kNanosecond = 1;
constexpr uint64_t kSecond = 1'000'000'000 * kNanosecond;
// No worker made a call for this long (guest time): one is stuck; the run fails and says where.
constexpr uint64_t kStallTimeout = 60 * kSecond;
// How long the kernel may take to finish tearing the child down (reaper, last references).
constexpr uint64_t kSettleTimeout = 30 * kSecond;

WorkerArgs g_args[kMaxThreads];
Handle g_protected[2 * kMaxThreads];
WorkerReport g_reports[kMaxThreads];
uint64_t g_failures = 0;

void Fail(const char* what, Status status = Status::kOk) {
  ++g_failures;
  if (status == Status::kOk) {
    rt::Printf("syscall_fuzz: FAILED: %s", what);
  } else {
    rt::Printf("syscall_fuzz: FAILED: %s (%s)", what, uapi::StatusName(status));
  }
}

uint64_t Uptime() {
  auto info = rt::SystemInfo();
  return info.ok() ? info.value().uptime_ns : 0;
}

extern "C" [[noreturn]] void WorkerStart(uint64_t args) {
  RunWorker(args);
  rt::ThreadExit(0);
}

struct Counters {
  uint64_t free_pages = 0;
  uint64_t slots = 0;
  uint64_t objects = 0;
  uint64_t memory_used = 0;
};

Counters Measure() {
  Counters counters;
  auto info = rt::SystemInfo();
  auto memory = rt::MemoryInfo(kMemory);
  if (info.ok()) {
    counters.free_pages = info.value().free_pages;
    counters.slots = info.value().capability_slots_used;
    counters.objects = info.value().objects_live;
  }
  if (memory.ok()) counters.memory_used = memory.value().used_bytes;
  return counters;
}

bool BackToBaseline(const Counters& baseline, const Counters& now) {
  return now.free_pages >= baseline.free_pages && now.slots <= baseline.slots &&
         now.objects <= baseline.objects && now.memory_used <= baseline.memory_used;
}

// Waits until the counters stop changing (the boot's kernel threads are gone).
Counters Quiesce() {
  constexpr int kStableReadings = 200;
  Counters last = Measure();
  for (int stable = 0; stable < kStableReadings;) {
    (void)rt::Yield();
    Counters now = Measure();
    stable = (now.free_pages == last.free_pages && now.slots == last.slots &&
              now.objects == last.objects && now.memory_used == last.memory_used)
                 ? stable + 1
                 : 0;
    last = now;
  }
  return last;
}

// The kernel keeps some memory once it has needed it: slab pages of its object allocator and
// capability-table pages (docs/kernel-memory.md). So that "free pages back to the baseline"
// means "everything the run allocated was freed", the parent first makes (and deletes) more
// objects of each kind, mappings and capabilities at once than the workers can hold at once:
// their pools are bounded (HandlePool::kCapacity per worker) and evict by deleting.
constexpr uint32_t kPreGrowObjects = 512;
constexpr uint32_t kPreGrowCapabilities = 8192;
Handle g_grow_vmems[kPreGrowObjects];
Handle g_grow_processes[kPreGrowObjects];
Handle g_grow_threads[kPreGrowObjects];
Handle g_grow_frames[kPreGrowObjects];
Handle g_grow_receivers[kPreGrowObjects];
Handle g_grow_senders[kPreGrowObjects];
Handle g_grow_replies[kPreGrowObjects];
Handle g_grow_notifies[kPreGrowObjects];
Handle g_grow_ports[kPreGrowObjects];
Handle g_grow_caps[kPreGrowCapabilities];

void PreGrowKernelCaches() {
  for (uint32_t i = 0; i < kPreGrowObjects; ++i) {
    g_grow_vmems[i] = rt::MemoryAllocVmem(kMemory).value_or(0);
    g_grow_processes[i] = rt::MemoryAllocProcess(kMemory, g_grow_vmems[i]).value_or(0);
    g_grow_threads[i] = rt::MemoryAllocThread(kMemory, g_grow_processes[i]).value_or(0);
    g_grow_frames[i] = rt::MemoryAllocFrame(kMemory, 0).value_or(0);
    (void)rt::VmemMap(g_grow_vmems[0], g_grow_frames[i], 0x10'0000 + i * 0x1000ull, uapi::kMapRead,
                      kMemory);
    g_grow_receivers[i] = rt::MemoryAllocReceiver(kMemory).value_or(0);
    g_grow_senders[i] = rt::ReceiverCreateSender(kMemory, g_grow_receivers[i], i).value_or(0);
    g_grow_replies[i] = rt::MemoryAllocReply(kMemory).value_or(0);
    g_grow_notifies[i] = rt::MemoryAllocNotify(kMemory).value_or(0);
    g_grow_ports[i] = rt::IoPortRangeSplit(uapi::kRootIoPortHandle, kMemory, 0x80, 1).value_or(0);
  }
  for (Handle& cap : g_grow_caps) cap = rt::CapDerive(kBootInfoFrame, Rights::kRead).value_or(0);
  Handle* const groups[] = {g_grow_caps,     g_grow_threads, g_grow_processes, g_grow_frames,
                            g_grow_vmems,    g_grow_senders, g_grow_receivers, g_grow_replies,
                            g_grow_notifies, g_grow_ports};
  constexpr uint32_t kGroups = sizeof(groups) / sizeof(groups[0]);
  for (uint32_t g = 0; g < kGroups; ++g) {
    const uint32_t size = g == 0 ? kPreGrowCapabilities : kPreGrowObjects;
    for (uint32_t i = 0; i < size; ++i) {
      if (groups[g][i] != 0) (void)rt::CapDelete(groups[g][i]);
    }
  }
}

// Per-worker memory in the parent's address space: scratch pages and a stack.
struct WorkerMemory {
  Handle scratch_frame = 0;
  void* stack = nullptr;
  Handle thread = 0;
};
WorkerMemory g_memory[kMaxThreads];
Handle g_read_only_frame = 0;

bool SetUpParentMemory(uint64_t threads) {
  auto read_only = rt::MemoryAllocFrame(kMemory, 0);
  if (!read_only.ok()) return Fail("read-only page", read_only.error()), false;
  g_read_only_frame = read_only.value();
  auto mapped = rt::VmemMap(kOwnVmem, g_read_only_frame, kReadOnlyPage, uapi::kMapRead, kMemory);
  if (!mapped.ok()) return Fail("map the read-only page", mapped.error()), false;
  for (uint64_t i = 0; i < threads; ++i) {
    auto frame = rt::MemoryAllocFrame(kMemory, kScratchOrder);
    if (!frame.ok()) return Fail("scratch frame", frame.error()), false;
    g_memory[i].scratch_frame = frame.value();
    auto map = rt::VmemMap(kOwnVmem, frame.value(), kScratchBase + i * kScratchStride,
                           uapi::kMapRead | uapi::kMapWrite, kMemory);
    if (!map.ok()) return Fail("map scratch", map.error()), false;
    auto stack = rt::Pages().Allocate(kStackOrder);
    if (!stack.ok()) return Fail("worker stack", stack.error()), false;
    g_memory[i].stack = stack.value();
  }
  return true;
}

void TearDownParentMemory(uint64_t threads) {
  for (uint64_t i = 0; i < threads; ++i) {
    if (g_memory[i].scratch_frame != 0) {
      (void)rt::VmemUnmap(kOwnVmem, kScratchBase + i * kScratchStride);
      (void)rt::CapDelete(g_memory[i].scratch_frame);
    }
    if (g_memory[i].stack != nullptr) (void)rt::Pages().Free(g_memory[i].stack);
    g_memory[i] = WorkerMemory{};
  }
  if (g_read_only_frame != 0) {
    (void)rt::VmemUnmap(kOwnVmem, kReadOnlyPage);
    (void)rt::CapDelete(g_read_only_frame);
    g_read_only_frame = 0;
  }
}

// Makes the child and its workers (started). Returns the child's process handle, 0 on failure.
Handle StartChild(const Options& options) {
  auto child = rt::MemoryAllocProcess(kMemory, kOwnVmem);
  if (!child.ok()) return Fail("child process", child.error()), 0;
  Handle process = child.value();
  uint64_t per_worker = options.calls / options.threads;
  for (uint64_t i = 0; i < options.threads; ++i) {
    auto memory = rt::ProcessGiveCap(process, kMemory, Rights::kAll);
    auto frame = rt::ProcessGiveCap(
        process, kBootInfoFrame, Rights::kRead | Rights::kMap | Rights::kClone | Rights::kTransfer);
    if (!memory.ok() || !frame.ok()) return Fail("give the child its capabilities"), process;
    WorkerArgs& args = g_args[i];
    args.config.index = static_cast<uint32_t>(i);
    args.config.seed = options.seed;
    args.config.calls = per_worker + (i < options.calls % options.threads ? 1 : 0);
    args.config.scratch = kScratchBase + i * kScratchStride;
    args.config.memory = memory.value();
    args.config.frame = frame.value();
    args.config.protected_handles = g_protected;
    args.config.protected_count = static_cast<uint32_t>(2 * options.threads);
    args.report = &g_reports[i];
    g_protected[2 * i] = memory.value();
    g_protected[2 * i + 1] = frame.value();
  }
  for (uint64_t i = 0; i < options.threads; ++i) {
    auto thread = rt::MemoryAllocThread(kMemory, process);
    if (!thread.ok()) return Fail("worker thread", thread.error()), process;
    g_memory[i].thread = thread.value();
    uapi::ThreadRegs regs{};
    regs.rip = reinterpret_cast<uint64_t>(&WorkerStart);
    regs.rsp = reinterpret_cast<uint64_t>(g_memory[i].stack) + (0x1000ull << kStackOrder) - 8;
    regs.rdi = reinterpret_cast<uint64_t>(&g_args[i]);
    regs.rflags = 0x202;
    auto set = rt::ThreadSetRegs(thread.value(), &regs);
    if (!set.ok()) return Fail("worker registers", set.error()), process;
  }
  for (uint64_t i = 0; i < options.threads; ++i) {
    auto started = rt::ThreadStart(g_memory[i].thread);
    if (!started.ok()) return Fail("start a worker", started.error()), process;
  }
  return process;
}

uint64_t TotalDone(uint64_t threads) {
  uint64_t total = 0;
  for (uint64_t i = 0; i < threads; ++i)
    total += g_reports[i].calls_done.Load(MemoryOrder::kAcquire);
  return total;
}

// Polls the workers (this thread runs at the lowest priority, so only when a CPU is free).
// False if they stopped making progress (a worker is stuck in the kernel, or dead).
bool WaitForWorkers(uint64_t threads) {
  uint64_t last_done = 0;
  uint64_t last_progress = Uptime();
  for (;;) {
    uint64_t finished = 0;
    for (uint64_t i = 0; i < threads; ++i) {
      finished += g_reports[i].finished.Load(MemoryOrder::kAcquire);
    }
    if (finished == threads) return true;
    uint64_t done = TotalDone(threads);
    uint64_t now = Uptime();
    if (done != last_done) {
      last_done = done;
      last_progress = now;
    } else if (now - last_progress > kStallTimeout) {
      for (uint64_t i = 0; i < threads; ++i) {
        if (g_reports[i].finished.Load(MemoryOrder::kAcquire) != 0) continue;
        uint64_t number = g_reports[i].last_syscall.Load(MemoryOrder::kRelaxed);
        rt::Printf("syscall_fuzz:   worker %lu stuck after %lu calls, in %s", i,
                   g_reports[i].calls_done.Load(MemoryOrder::kRelaxed),
                   CallByNumber(number) != nullptr ? CallByNumber(number)->name : "?");
      }
      return false;
    }
    (void)rt::Yield();
  }
}

void CheckWorkerExits(uint64_t threads) {
  for (uint64_t i = 0; i < threads; ++i) {
    auto exit = rt::ThreadWait(g_memory[i].thread);
    if (!exit.ok()) {
      Fail("wait for a worker", exit.error());
      continue;
    }
    if (exit.value().reason != uapi::ExitReason::kExited || exit.value().code != 0) {
      rt::Printf("syscall_fuzz:   worker %lu ended with reason %lu code %#lx at %#lx", i,
                 static_cast<uint64_t>(exit.value().reason), exit.value().code,
                 exit.value().fault_addr);
      Fail("a worker did not exit normally");
    }
  }
}

void PrintStatistics(uint64_t threads) {
  uint64_t skipped = 0;
  for (uint64_t i = 0; i < threads; ++i) skipped += g_reports[i].skipped;
  for (uint64_t n = 0; n < uapi::kSyscallCount; ++n) {
    uint64_t calls = 0;
    uint64_t successes = 0;
    uint64_t ticks = 0;
    for (uint64_t i = 0; i < threads; ++i) {
      calls += g_reports[i].calls[n];
      successes += g_reports[i].successes[n];
      ticks += g_reports[i].tsc_ticks[n];
    }
    const CallEntry* found = CallByNumber(n);
    if (found == nullptr) continue;  // a gap in the numbering
    const CallEntry& entry = *found;
    rt::Printf("syscall_fuzz:   %-20s %8lu calls %8lu ok %8lu Mtsc%s", entry.name, calls, successes,
               ticks / 1'000'000, entry.fuzzed ? "" : "  (not fuzzed: no return or blocking)");
  }
  rt::Printf("syscall_fuzz:   %lu draws skipped by confinement rules", skipped);
}

void CheckBaseline(const Counters& baseline) {
  Counters now = Measure();
  uint64_t start = Uptime();
  while (!BackToBaseline(baseline, now) && Uptime() - start < kSettleTimeout) {
    (void)rt::Yield();
    now = Measure();
  }
  rt::Printf(
      "syscall_fuzz: after teardown: free pages %lu -> %lu, capability slots %lu -> %lu, "
      "objects %lu -> %lu, Memory used bytes %lu -> %lu",
      baseline.free_pages, now.free_pages, baseline.slots, now.slots, baseline.objects, now.objects,
      baseline.memory_used, now.memory_used);
  if (!BackToBaseline(baseline, now)) Fail("LEAK: not back to the baseline after teardown");
}

}  // namespace
}  // namespace hiillos::syscall_fuzz

int UserMain(uint64_t boot_info, uint64_t) {
  using namespace hiillos;
  using namespace hiillos::syscall_fuzz;
  rt::SetLogHandle(uapi::kRootLogHandle);
  bool bad = false;
  Options options = ParseOptions(*reinterpret_cast<const uapi::BootInfo*>(boot_info), &bad);
  auto cpus = rt::SystemInfo();
  rt::Printf("syscall_fuzz: seed %lu, %lu calls, %lu workers on %lu CPUs", options.seed,
             options.calls, options.threads, cpus.ok() ? cpus.value().cpus_online : 0);
  if (bad) Fail("malformed fuzz.* option on the command line");
  rt::InitPages(kMemory, kOwnVmem);
  // Lowest priority: the parent polls only when a CPU has nothing else to do.
  (void)rt::ThreadSetPriority(kOwnThread, 0);
  if (!SetUpParentMemory(options.threads)) return static_cast<int>(g_failures);
  PreGrowKernelCaches();
  Counters baseline = Quiesce();
  testing_lib::IrqOffStartRun();
  uint64_t start = Uptime();
  Handle child = StartChild(options);
  bool progressed = child != 0 && g_failures == 0 && WaitForWorkers(options.threads);
  if (!progressed) {
    Fail("the workers stopped making progress");
    return static_cast<int>(g_failures);  // the kernel ends the run with the root process
  }
  uint64_t elapsed_ms = (Uptime() - start) / 1'000'000;
  CheckWorkerExits(options.threads);
  for (uint64_t i = 0; i < options.threads; ++i) {
    (void)rt::CapDelete(g_memory[i].thread);
    g_memory[i].thread = 0;
  }
  (void)rt::CapDelete(child);
  PrintStatistics(options.threads);
  CheckBaseline(baseline);
  testing_lib::IrqOffPrintWorst();
  TearDownParentMemory(options.threads);
  rt::Printf("syscall_fuzz: seed %lu: %lu calls done in %lu ms of guest time, %lu failures",
             options.seed, TotalDone(options.threads), elapsed_ms, g_failures);
  return static_cast<int>(g_failures);
}
