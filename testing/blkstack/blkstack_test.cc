// testing/blkstack/blkstack_test.cc — the block stack on a real (QEMU virtio-blk-pci) disk, run
// as the root process (`hiillos.test=user`: its exit code is the verdict). It unpacks the initfs,
// starts /sbin/pcid (DeviceMemory, IRQ authority, the RSDP), /sbin/virtio-blk (a Sender to pcid;
// it claims the disk) and vfsd with the disk as block device "vda" (root=vda on the kernel
// command line); vfsd starts fsd.fat32 on it. Through vfsd it checks the disk's own sample files
// and runs testing/fs/sequence.h (a file > 4 MiB, a directory tree, renames, deletes, a
// remount), then closes its Senders and waits for vfsd, virtio-blk and pcid to exit (each ends
// when its last client is gone, after flushing). The host then checks the image with fsck.fat
// and mtools (testing/blkstack/blkstack_test.sh). With `fsbench` on the command line it runs
// only the benchmark (//testing/bench:fs, docs/performance.md).
#include "lib/format/format.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/root/unpack.h"
#include "services/vfsd/client.h"
#include "services/vfsd/ipc_channel.h"
#include "services/vfsd/spawn.h"
#include "services/vfsd/text.h"
#include "testing/fs/sequence.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace {

using namespace hiillos;

constexpr uint32_t kMemory = uapi::kRootMemoryHandle;
constexpr uint32_t kVmem = uapi::kRootVmemHandle;
constexpr uint64_t kModuleAddress = 0x0000'3100'0000'0000ull;
constexpr uint64_t kClientBufferAddress = 0x0000'2b00'0000'0000ull;
constexpr unsigned kClientBufferOrder = 4;  // 64 KiB

class LogReporter final : public fstest::Reporter {
 public:
  void Check(bool ok, const char* what) override {
    if (ok) {
      ++passed;
      rt::Printf("blkstack_test: ok: %s", what);
    } else {
      ++failed;
      rt::Printf("blkstack_test: FAILED: %s", what);
    }
  }
  void Note(const char* what, uint64_t value) override {
    rt::Printf("blkstack_test: %s: %lu", what, value);
  }
  int passed = 0;
  int failed = 0;
};

uint32_t FindModule(const uapi::BootInfo& info, const char* wanted, const uapi::Module** module) {
  uint32_t handle = uapi::kRootFirstModuleHandle;
  for (uint32_t i = 0; i < info.module_count && i < uapi::kMaxModules; ++i) {
    if (fs::Same(info.modules[i].name, "root.elf")) continue;
    if (fs::Same(info.modules[i].name, wanted)) {
      *module = &info.modules[i];
      return handle;
    }
    ++handle;
  }
  return 0;
}

struct Server {
  rt::Spawned spawned = {};
  uint32_t sender = 0;
  uint32_t badged = 0;  // a Sender with badge kClientBadge, for a client server (0: none)
  bool running = false;
};
constexpr uint64_t kClientBadge = 1;

// A server started with rt::Spawn (it uses the IPC buffer the loader registered), with a fresh
// Receiver as "endpoint" and our Sender (badge 0) to it.
bool StartServer(const ustar::Archive& archive, const char* path, const char* const* args,
                 size_t arg_count, const rt::SpawnCap* extra, size_t extra_count, uint64_t pid,
                 Server* out) {
  auto program = archive.Lookup(path + 10);  // skip "initfs:///"
  if (!program.ok()) {
    rt::Printf("blkstack_test: no %s in initfs", path);
    return false;
  }
  auto receiver = rt::MemoryAllocReceiver(kMemory);
  if (!receiver.ok()) return false;
  auto sender = rt::ReceiverCreateSender(kMemory, receiver.value(), 0);
  if (!sender.ok()) return false;
  auto badged = rt::ReceiverCreateSender(kMemory, receiver.value(), kClientBadge);
  if (!badged.ok()) return false;
  rt::SpawnCap caps[8];
  // Write: pcid makes the notice Senders of its claim leases from it (exit_watch.h).
  caps[0] = {"endpoint", receiver.value(), uapi::Rights::kRead | uapi::Rights::kWrite};
  caps[1] = {"memory", kMemory, uapi::Rights::kAll};
  caps[2] = {"log", uapi::kRootLogHandle, uapi::Rights::kWrite};
  for (size_t i = 0; i < extra_count && i < 5; ++i) caps[3 + i] = extra[i];
  rt::SpawnRequest request;
  request.memory = kMemory;
  request.own_vmem = kVmem;
  request.image = program.value().data;
  request.image_size = program.value().size;
  request.args = args;
  request.arg_count = arg_count;
  request.caps = caps;
  request.cap_count = 3 + extra_count;
  request.pid = pid;
  auto spawned = rt::Spawn(request);
  (void)rt::CapDelete(receiver.value());  // the server holds the only Receiver
  if (!spawned.ok()) {
    char why[128];
    rt::DescribeSpawnError(spawned.error(), why, sizeof(why));
    rt::Printf("blkstack_test: cannot start %s: %s", path, why);
    return false;
  }
  *out = Server{spawned.value(), sender.value(), badged.value(), true};
  return true;
}

bool StartVfsd(const ustar::Archive& archive, uint32_t initfs_frame, const Server& disk,
               const char* command_line, Server* out) {
  auto program = archive.Lookup("sbin/vfsd");
  if (!program.ok()) return false;
  auto receiver = rt::MemoryAllocReceiver(kMemory);
  if (!receiver.ok()) return false;
  auto sender = rt::ReceiverCreateSender(kMemory, receiver.value(), /*session*/ 0);
  if (!sender.ok()) return false;
  char cmdline_env[uapi::kCommandLineSize + 16];
  format::FormatToBuffer(cmdline_env, sizeof(cmdline_env), "kernel.cmdline=%s", command_line);
  const char* const args[] = {"initfs:///sbin/vfsd"};
  const char* const env[] = {cmdline_env};
  const uapi::Rights block_rights =
      uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer;
  const rt::SpawnCap caps[] = {
      {"endpoint", receiver.value(), uapi::Rights::kRead | uapi::Rights::kWrite},
      {"memory", kMemory, uapi::Rights::kAll},
      {"initfs", initfs_frame, uapi::Rights::kRead | uapi::Rights::kMap},
      {"log", uapi::kRootLogHandle,
       uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer},
      {"block.vda", disk.sender, block_rights},
  };
  rt::SpawnRequest request;
  request.memory = kMemory;
  request.own_vmem = kVmem;
  request.image = program.value().data;
  request.image_size = program.value().size;
  request.args = args;
  request.arg_count = 1;
  request.env = env;
  request.env_count = 1;
  request.caps = caps;
  request.cap_count = 5;
  request.pid = 4;
  char why[128];
  auto spawned = fs::SpawnProgram(request, why, sizeof(why));
  (void)rt::CapDelete(receiver.value());
  if (!spawned.ok()) {
    rt::Printf("blkstack_test: cannot start vfsd: %s", why);
    return false;
  }
  *out = Server{spawned.value(), sender.value(), 0, true};
  return true;
}

// Closes our Sender (if still held) and waits for the server to exit by itself.
bool StopAndWait(Server& server, const char* name) {
  if (!server.running) return true;
  if (server.sender != 0) (void)rt::CapDelete(server.sender);
  if (server.badged != 0) (void)rt::CapDelete(server.badged);
  server.sender = 0;
  server.badged = 0;
  auto exit = rt::ThreadWait(server.spawned.thread);
  rt::Release(server.spawned);
  server.running = false;
  const bool clean =
      exit.ok() && exit.value().reason == uapi::ExitReason::kExited && exit.value().code == 0;
  rt::Printf("blkstack_test: %s %s", name, clean ? "exited with code 0" : "did not exit cleanly");
  return clean;
}

// //disk's files (disk/BUILD.bazel), read through the whole stack before anything changes.
constexpr uint32_t kDiskRandomSeed = 5;
uint8_t g_chunk[64 * 1024];

bool RandomFileIntact(vfs::Client& client) {
  auto file = client.Open("/data/random-5MiB.bin");
  if (!file.ok()) return false;
  uint32_t state = kDiskRandomSeed * 2654435761u + 1;
  uint64_t total = 0;
  bool same = true;
  for (;;) {
    auto read = client.Read(file.value().handle, g_chunk, sizeof(g_chunk));
    if (!read.ok()) {
      same = false;
      break;
    }
    for (uint64_t i = 0; i < read.value(); ++i) {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      same = same && g_chunk[i] == static_cast<uint8_t>(state >> 24);
    }
    total += read.value();
    if (read.value() < sizeof(g_chunk)) break;
  }
  (void)client.Close(file.value().handle);
  return same && total == 5 * 1024 * 1024;
}

// The benchmark rows (docs/performance.md, "File system on virtio-blk"): a 16 MiB file written
// and read sequentially in 32 KiB calls through vfsd -> fsd.fat32 -> virtio-blk. Every call is
// one sample between two SystemCpuTimes readings: its busy ticks (elapsed TSC minus each online
// CPU's idle ticks, summed over the CPUs) and its elapsed TSC ticks. Under QEMU
// `-icount shift=7,sleep=off` busy ticks are 128 per executed guest instruction on one CPU,
// while elapsed ticks also hold the virtual time QEMU skipped while the CPU halted waiting for
// the disk (host-timing dependent). The median of an empty sample (two readings back to back) is
// subtracted, as in testing/bench. "quiet" is busy less the empty wake-ups (timer ticks that
// reached the waiting CPU and found nothing to run: their number follows the host's I/O time).
// Lines: `blkstack_test: fsbench: row NAME | busy median B | busy mean M | quiet median Q |
// quiet mean R | tsc median T | tsc mean U | overhead O | n N`, ticks per 32 KiB call; the mean
// of the write row includes the closing Close (the file's metadata) spread over the calls.
// testing/bench/run_fs_bench.sh turns them into instructions per 4 KiB.
constexpr uint64_t kBenchBytes = uint64_t{16} << 20;
constexpr uint64_t kBenchCall = 32 * 1024;
constexpr uint64_t kBenchCalls = kBenchBytes / kBenchCall;
constexpr uint64_t kOverheadSamples = 1000;

uint8_t BenchByte(uint64_t offset) {
  return static_cast<uint8_t>((offset >> 12) * 13 + offset * 7);
}

struct Span {
  uint64_t busy = 0;
  uint64_t elapsed = 0;
  uint64_t quiet = 0;  // busy less the CPUs' empty wake-ups (CpuTimes::empty_wake_ticks)
};

// Busy and elapsed ticks between two readings: busy sums every CPU online in `b` over
// (elapsed - its idle ticks).
Span Between(const uapi::CpuTimes& a, const uapi::CpuTimes& b) {
  Span span;
  span.elapsed = b.tsc - a.tsc;
  for (uint64_t cpu = 0; cpu < b.cpus && cpu < uapi::kCpuTimesCpus; ++cpu) {
    if ((b.online_mask >> cpu & 1) == 0) continue;
    const uint64_t idle = b.idle_ticks[cpu] - a.idle_ticks[cpu];
    const uint64_t busy = idle < span.elapsed ? span.elapsed - idle : 0;
    const uint64_t empty = b.empty_wake_ticks[cpu] - a.empty_wake_ticks[cpu];
    span.busy += busy;
    span.quiet += empty < busy ? busy - empty : 0;
  }
  return span;
}

class Sampler {
 public:
  bool Start() {
    auto times = rt::SystemCpuTimes();
    if (!times.ok()) return false;
    start_ = times.value();
    return true;
  }
  bool Stop(Span* span) {
    auto times = rt::SystemCpuTimes();
    if (!times.ok()) return false;
    *span = Between(start_, times.value());
    return true;
  }

 private:
  uapi::CpuTimes start_ = {};
};

uint64_t g_busy[kOverheadSamples];
uint64_t g_elapsed[kOverheadSamples];
uint64_t g_quiet[kOverheadSamples];

void Record(uint64_t i, const Span& span) {
  g_busy[i] = span.busy;
  g_elapsed[i] = span.elapsed;
  g_quiet[i] = span.quiet;
}

uint64_t Median(uint64_t* values, uint64_t count) {
  for (uint64_t i = 1; i < count; ++i) {  // insertion sort: a few hundred values
    const uint64_t v = values[i];
    uint64_t j = i;
    for (; j > 0 && values[j - 1] > v; --j) values[j] = values[j - 1];
    values[j] = v;
  }
  return count == 0 ? 0 : values[count / 2];
}

uint64_t Less(uint64_t value, uint64_t overhead) {
  return value > overhead ? value - overhead : 0;
}

// Prints one row from the first `count` samples in g_busy/g_elapsed, plus `extra` (a span that
// belongs to the operation but is no sample of its own: the write's Close) in the means.
void PrintRow(const char* name, uint64_t count, Span extra, Span overhead) {
  uint64_t busy_sum = extra.busy;
  uint64_t elapsed_sum = extra.elapsed;
  uint64_t quiet_sum = extra.quiet;
  for (uint64_t i = 0; i < count; ++i) {
    g_busy[i] = Less(g_busy[i], overhead.busy);
    g_elapsed[i] = Less(g_elapsed[i], overhead.elapsed);
    g_quiet[i] = Less(g_quiet[i], overhead.quiet);
    busy_sum += g_busy[i];
    elapsed_sum += g_elapsed[i];
    quiet_sum += g_quiet[i];
  }
  const uint64_t n = count == 0 ? 1 : count;
  rt::Printf(
      "blkstack_test: fsbench: row %s | busy median %lu | busy mean %lu | quiet median %lu | "
      "quiet mean %lu | tsc median %lu | tsc mean %lu | overhead %lu | n %lu",
      name, Median(g_busy, count), busy_sum / n, Median(g_quiet, count), quiet_sum / n,
      Median(g_elapsed, count), elapsed_sum / n, overhead.busy, count);
}

// The median cost of a sample around nothing.
bool MeasureOverhead(Span* overhead) {
  Sampler sampler;
  for (uint64_t i = 0; i < kOverheadSamples; ++i) {
    Span span;
    if (!sampler.Start() || !sampler.Stop(&span)) return false;
    Record(i, span);
  }
  overhead->busy = Median(g_busy, kOverheadSamples);
  overhead->elapsed = Median(g_elapsed, kOverheadSamples);
  overhead->quiet = Median(g_quiet, kOverheadSamples);
  return true;
}

void Bench(vfs::Client& client, LogReporter& r) {
  static_assert(kBenchCalls <= kOverheadSamples);
  Span overhead;
  if (!MeasureOverhead(&overhead)) {
    r.Check(false, "bench: SystemCpuTimes");
    return;
  }
  auto file = client.Open("/bench16.bin", vfs::kOpenCreate | vfs::kOpenTruncate);
  if (!file.ok()) {
    r.Check(false, "bench: create /bench16.bin");
    return;
  }
  Sampler sampler;
  bool ok = true;
  uint64_t calls = 0;
  for (uint64_t at = 0; at < kBenchBytes && ok; at += kBenchCall, ++calls) {
    for (uint64_t i = 0; i < kBenchCall; ++i) g_chunk[i] = BenchByte(at + i);
    Span span;
    ok = sampler.Start();
    auto written = client.Write(file.value().handle, g_chunk, kBenchCall);
    ok = sampler.Stop(&span) && ok && written.ok() && written.value() == kBenchCall;
    Record(calls, span);
  }
  Span close;
  ok = sampler.Start() && ok;
  ok = client.Close(file.value().handle).ok() && ok;
  ok = sampler.Stop(&close) && ok;
  close.busy = Less(close.busy, overhead.busy);
  close.elapsed = Less(close.elapsed, overhead.elapsed);
  close.quiet = Less(close.quiet, overhead.quiet);
  r.Check(ok, "bench: write 16 MiB sequentially");
  if (ok) PrintRow("sequential write", calls, close, overhead);

  auto again = client.Open("/bench16.bin");
  ok = again.ok() && again.value().size == kBenchBytes;
  uint64_t wrong = 0;
  calls = 0;
  for (uint64_t at = 0; at < kBenchBytes && ok; at += kBenchCall, ++calls) {
    Span span;
    ok = sampler.Start();
    auto read = client.Read(again.value().handle, g_chunk, kBenchCall);
    ok = sampler.Stop(&span) && ok && read.ok() && read.value() == kBenchCall;
    Record(calls, span);
    for (uint64_t i = 0; ok && i < kBenchCall; ++i) wrong += g_chunk[i] != BenchByte(at + i);
  }
  if (again.ok()) (void)client.Close(again.value().handle);
  r.Check(ok && wrong == 0, "bench: read 16 MiB back sequentially, every byte");
  if (ok) PrintRow("sequential read", calls, Span{}, overhead);
  r.Check(client.Unlink("/bench16.bin").ok(), "bench: unlink /bench16.bin");
}

// `fsbench` on the command line (//testing/bench:fs): only the benchmark, no other checks.
bool BenchOnly(const char* command_line) {
  for (const char* p = command_line; *p != 0; ++p) {
    if ((p == command_line || p[-1] == ' ') && p[0] == 'f' && p[1] == 's' && p[2] == 'b' &&
        p[3] == 'e' && p[4] == 'n' && p[5] == 'c' && p[6] == 'h' && (p[7] == 0 || p[7] == ' ')) {
      return true;
    }
  }
  return false;
}

int Run(const uapi::BootInfo& info) {
  rt::SetLogHandle(uapi::kRootLogHandle);
  rt::InitPages(kMemory, kVmem);
  const uapi::Module* module = nullptr;
  const uint32_t module_frame = FindModule(info, "initfs.tar.zst", &module);
  if (module_frame == 0) return 1;
  auto initfs = root::UnpackInitfs(kMemory, kVmem, module_frame, module->size, kModuleAddress,
                                   rt::kSharedDataAddress);
  if (!initfs.ok()) {
    rt::Printf("blkstack_test: initfs: %s", initfs.error().message);
    return 1;
  }
  const ustar::Archive& archive = initfs.value().archive;
  rt::Printf("blkstack_test: command line: %s", info.command_line);

  auto ipc_page = rt::MemoryAllocFrame(kMemory, 0);
  if (!ipc_page.ok() ||
      !rt::VmemMap(kVmem, ipc_page.value(), rt::kIpcBufferAddress, uapi::kMapRead | uapi::kMapWrite,
                   kMemory)
           .ok() ||
      !rt::ThreadSetIpcBuffer(uapi::kRootThreadHandle, rt::kIpcBufferAddress).ok()) {
    return 1;
  }

  Server pcid;
  Server disk;
  Server vfsd;
  char rsdp[24];
  format::FormatToBuffer(rsdp, sizeof(rsdp), "%lx", info.acpi_rsdp);
  const char* const pcid_args[] = {"initfs:///sbin/pcid", rsdp};
  // pcid derives a Read-only DeviceMemory for each claimant (Clone) and moves it (Transfer).
  const uapi::Rights authority =
      uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer;
  const rt::SpawnCap pcid_caps[] = {
      {"devices", uapi::kRootDeviceMemoryHandle, authority},
      {"irq", uapi::kRootIrqHandle, uapi::Rights::kRead | uapi::Rights::kWrite},
  };
  if (!StartServer(archive, "initfs:///sbin/pcid", pcid_args, 2, pcid_caps, 2, 10, &pcid)) {
    return 1;
  }
  const char* const blk_args[] = {"initfs:///sbin/virtio-blk"};
  const rt::SpawnCap blk_caps[] = {
      {"pcid", pcid.badged, uapi::Rights::kWrite},
  };
  if (!StartServer(archive, "initfs:///sbin/virtio-blk", blk_args, 1, blk_caps, 1, 11, &disk)) {
    return 1;
  }
  // Only virtio-blk talks to pcid: pcid ends with it.
  (void)rt::CapDelete(pcid.sender);
  (void)rt::CapDelete(pcid.badged);
  pcid.sender = 0;
  pcid.badged = 0;
  if (!StartVfsd(archive, initfs.value().frame, disk, info.command_line, &vfsd)) return 1;
  // vfsd holds its own copy of the block Sender: ours go, so virtio-blk ends with vfsd.
  (void)rt::CapDelete(disk.sender);
  (void)rt::CapDelete(disk.badged);
  disk.sender = 0;
  disk.badged = 0;

  auto buffer = rt::MemoryAllocFrame(kMemory, kClientBufferOrder);
  if (!buffer.ok() || !rt::VmemMap(kVmem, buffer.value(), kClientBufferAddress,
                                   uapi::kMapRead | uapi::kMapWrite, kMemory)
                           .ok()) {
    return 1;
  }
  auto copy = rt::CapDerive(buffer.value(), uapi::Rights::kRead | uapi::Rights::kWrite |
                                                uapi::Rights::kMap | uapi::Rights::kTransfer);
  if (!copy.ok()) return 1;
  fs::IpcBuffer()->caps[0] = uapi::IpcCap{copy.value(), uapi::kIpcMove, 0, 0};
  uapi::IpcMessage attach = fs::Request(static_cast<uint64_t>(vfs::Op::kAttachBuffer));
  attach.info = uapi::IpcInfo::Make(0, 1);
  auto attached = rt::Call(vfsd.sender, attach);
  LogReporter reporter;
  reporter.Check(attached.ok() && attached.value().words[0] == 0 &&
                     attached.value().words[1] == (uint64_t{0x1000} << kClientBufferOrder),
                 "attach a 64 KiB buffer to vfsd");

  fs::IpcChannel channel(vfsd.sender);
  vfs::Client client(channel, reinterpret_cast<uint8_t*>(kClientBufferAddress),
                     uint64_t{0x1000} << kClientBufferOrder);
  if (!BenchOnly(info.command_line)) {
    auto readme = client.Stat("/README.txt");
    reporter.Check(readme.ok() && !readme.value().directory && readme.value().size > 0,
                   "virtio disk: /README.txt is there");
    reporter.Check(RandomFileIntact(client), "virtio disk: every byte of /data/random-5MiB.bin");
    fstest::RunSequence(client, fstest::SequenceOptions{"vda fat32", nullptr}, reporter);
  }
  Bench(client, reporter);

  // Everything shuts down from our Sender: vfsd exits (its fsd.fat32 first), then virtio-blk
  // (its last client gone), then pcid (virtio-blk was its only client).
  reporter.Check(StopAndWait(vfsd, "vfsd"), "vfsd exits when its last client is gone");
  reporter.Check(StopAndWait(disk, "virtio-blk"), "virtio-blk exits when vfsd is gone");
  reporter.Check(StopAndWait(pcid, "pcid"), "pcid exits when virtio-blk is gone");
  rt::Printf("blkstack_test: %d passed, %d failed", reporter.passed, reporter.failed);
  return reporter.failed == 0 ? 0 : 1;
}

}  // namespace

int UserMain(uint64_t boot_info_address, uint64_t) {
  return Run(*reinterpret_cast<const uapi::BootInfo*>(boot_info_address));
}
