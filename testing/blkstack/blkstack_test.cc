// testing/blkstack/blkstack_test.cc — the block stack on a real (QEMU virtio-blk-pci) disk, run
// as the root process (`hiillos.test=user`: its exit code is the verdict). It unpacks the initfs,
// starts /sbin/pcid (DeviceMemory, IRQ authority, the RSDP), /sbin/virtio-blk (a Sender to pcid;
// it claims the disk) and vfsd with the disk as block device "vda" (root=vda on the kernel
// command line); vfsd starts fsd.fat32 on it. Through vfsd it checks the disk's own sample files
// and runs testing/fs/sequence.h (a file > 4 MiB, a directory tree, renames, deletes, a
// remount), then closes its Senders and waits for vfsd, virtio-blk and pcid to exit (each ends
// when its last client is gone, after flushing). The host then checks the image with fsck.fat
// and mtools (testing/blkstack/blkstack_test.sh). With `fsbench` on the command line it runs
// only the benchmark (//testing/bench:fs, docs/performance.md; its smoke test
// //testing/bench:fs_smoke_test checks the benchmark's every-byte read too), and only then: its
// 16 MiB written and read back took most of the tests' guest time. With `blk.intx` it starts
// virtio-blk with `intx` (its interrupt through INTx and the ACPI _PRT instead of MSI-X)
// (//testing/blkstack:blkstack_intx_test_smp1/_smp4).
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/vfsd/client.h"
#include "services/vfsd/ipc_channel.h"
#include "testing/fs/guest_client.h"
#include "testing/fs/sequence.h"
#include "testing/lib/pcid_launch.h"
#include "testing/lib/root_setup.h"
#include "testing/lib/test_server.h"
#include "testing/lib/tsc.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace {

using namespace hiillos;
using testing_lib::Server;
using testing_lib::ServerStart;
using testing_lib::StartServer;
using testing_lib::StopAndWait;

constexpr uint64_t kClientBufferAddress = 0x0000'2b00'0000'0000ull;
constexpr unsigned kClientBufferOrder = 4;  // 64 KiB

constexpr uint64_t kClientBadge = 1;

// //disk's files (disk/BUILD.bazel), read through the whole stack before anything changes.
uint8_t g_chunk[64 * 1024];

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

void Bench(vfs::Client& client, fstest::LogReporter& r) {
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

// Whether `word` is a space-separated word of the kernel command line.
bool HasWord(const char* command_line, const char* word) {
  for (const char* p = command_line; *p != 0; ++p) {
    if (p != command_line && p[-1] != ' ') continue;
    uint64_t i = 0;
    while (word[i] != 0 && p[i] == word[i]) ++i;
    if (word[i] == 0 && (p[i] == 0 || p[i] == ' ')) return true;
  }
  return false;
}

// `fsbench` on the command line (//testing/bench:fs): only the benchmark, no other checks.
bool BenchOnly(const char* command_line) {
  return HasWord(command_line, "fsbench");
}

int Run(const uapi::BootInfo& info) {
  auto initfs = testing_lib::StartRootTest(info, "blkstack_test");
  if (!initfs.ok()) return 1;
  const ustar::Archive& archive = initfs.value().archive;
  rt::Printf("blkstack_test: command line: %s", info.command_line);
  if (!testing_lib::SetUpRootIpcBuffer()) return 1;

  Server pcid;
  Server disk;
  Server vfsd;
  const testing_lib::PcidLaunch pcid_launch(info.acpi_rsdp);
  // Write on the endpoint: pcid makes the notice Senders of its claim leases from it
  // (exit_watch.h).
  ServerStart start;
  start.test = "blkstack_test";
  start.archive = &archive;
  pcid_launch.ApplyTo(&start);
  start.pid = 10;
  start.client_badge = kClientBadge;
  if (!StartServer(start, &pcid)) return 1;
  const rt::SpawnCap blk_caps[] = {
      {"pcid", pcid.badged, uapi::Rights::kWrite},
  };
  const bool intx = HasWord(info.command_line, "blk.intx");
  const char* const blk_args[] = {"initfs:///sbin/virtio-blk", "intx"};
  start.path = blk_args[0];
  start.args = intx ? blk_args : nullptr;
  start.arg_count = intx ? 2 : 0;
  start.caps = blk_caps;
  start.cap_count = 1;
  start.pid = 11;
  if (!StartServer(start, &disk)) return 1;
  // Only virtio-blk talks to pcid: pcid ends with it.
  testing_lib::DropSenders(pcid);
  const fstest::BlockDevice vda[] = {{"block.vda", disk.sender}};
  start.pid = 4;
  start.client_badge = 0;
  if (!fstest::StartVfsd(start, initfs.value().frame, info.command_line, vda, 1, &vfsd)) return 1;
  // vfsd holds its own copy of the block Sender: ours go, so virtio-blk ends with vfsd.
  testing_lib::DropSenders(disk);

  fstest::LogReporter reporter("blkstack_test");
  reporter.Check(fstest::AttachBuffer(vfsd.sender, kClientBufferAddress, kClientBufferOrder),
                 "attach a 64 KiB buffer to vfsd");

  fs::IpcChannel channel(vfsd.sender);
  vfs::Client client(channel, reinterpret_cast<uint8_t*>(kClientBufferAddress),
                     uint64_t{0x1000} << kClientBufferOrder);
  if (BenchOnly(info.command_line)) {
    Bench(client, reporter);
  } else {
    auto readme = client.Stat("/README.txt");
    reporter.Check(readme.ok() && !readme.value().directory && readme.value().size > 0,
                   "virtio disk: /README.txt is there");
    reporter.Check(fstest::RandomFileIntact(client),
                   "virtio disk: every byte of /data/random-5MiB.bin");
    fstest::RunSequence(client, fstest::SequenceOptions{"vda fat32", nullptr}, reporter);
  }

  // Everything shuts down from our Sender: vfsd exits (its fsd.fat32 first), then virtio-blk
  // (its last client gone), then pcid (virtio-blk was its only client).
  reporter.Check(StopAndWait(vfsd, "blkstack_test", "vfsd"),
                 "vfsd exits when its last client is gone");
  reporter.Check(StopAndWait(disk, "blkstack_test", "virtio-blk"),
                 "virtio-blk exits when vfsd is gone");
  reporter.Check(StopAndWait(pcid, "blkstack_test", "pcid"), "pcid exits when virtio-blk is gone");
  reporter.checks.PrintSummary();
  return reporter.checks.failed == 0 ? 0 : 1;
}

}  // namespace

int UserMain(uint64_t boot_info_address, uint64_t) {
  return Run(*reinterpret_cast<const uapi::BootInfo*>(boot_info_address));
}
