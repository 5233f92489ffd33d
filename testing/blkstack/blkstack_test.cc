// testing/blkstack/blkstack_test.cc — the block stack on a real (QEMU virtio-blk-pci) disk, run
// as the root process (`hiillos.test=user`: its exit code is the verdict). It unpacks the initfs,
// starts /sbin/pcid (DeviceMemory, IRQ authority, the RSDP), /sbin/virtio-blk (a Sender to pcid;
// it claims the disk) and vfsd with the disk as block device "vda" (root=vda on the kernel
// command line); vfsd starts fsd.fat32 on it. Through vfsd it checks the disk's own sample files
// and runs testing/fs/sequence.h (a file > 4 MiB, a directory tree, renames, deletes, a
// remount), then closes its Senders and waits for vfsd, virtio-blk and pcid to exit (each ends
// when its last client is gone, after flushing). The host then checks the image with fsck.fat
// and mtools (testing/blkstack/blkstack_test.sh).
#include "lib/format/format.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/vfsd/client.h"
#include "services/vfsd/ipc_channel.h"
#include "testing/fs/guest_client.h"
#include "testing/fs/sequence.h"
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

constexpr uint32_t kMemory = uapi::kRootMemoryHandle;
constexpr uint32_t kVmem = uapi::kRootVmemHandle;
constexpr uint64_t kClientBufferAddress = 0x0000'2b00'0000'0000ull;
constexpr unsigned kClientBufferOrder = 4;  // 64 KiB

constexpr uint64_t kClientBadge = 1;

// //disk's files (disk/BUILD.bazel), read through the whole stack before anything changes.
uint8_t g_chunk[64 * 1024];

// The benchmark rows (docs/performance.md, "File system on virtio-blk"): a 16 MiB file written
// and read sequentially in 32 KiB calls through vfsd -> fsd.fat32 -> virtio-blk; only the calls
// themselves (and the closing Close, which writes the file's metadata) are timed, in guest TSC
// ticks / 128 per 4 KiB. Under QEMU -icount that is guest instructions plus the virtual time the
// CPU idles waiting for the disk (sleep=off warps to the next timer deadline), which depends on
// host I/O timing: not deterministic (docs/performance.md). Without -icount: noise.
constexpr uint64_t kBenchBytes = uint64_t{16} << 20;
constexpr uint64_t kBenchCall = 32 * 1024;
constexpr uint64_t kTscPerInstruction = 128;  // -icount shift=7

uint8_t BenchByte(uint64_t offset) {
  return static_cast<uint8_t>((offset >> 12) * 13 + offset * 7);
}

void Bench(vfs::Client& client, fstest::LogReporter& r) {
  auto file = client.Open("/bench16.bin", vfs::kOpenCreate | vfs::kOpenTruncate);
  if (!file.ok()) {
    r.Check(false, "bench: create /bench16.bin");
    return;
  }
  uint64_t write_ticks = 0;
  bool ok = true;
  for (uint64_t at = 0; at < kBenchBytes && ok; at += kBenchCall) {
    for (uint64_t i = 0; i < kBenchCall; ++i) g_chunk[i] = BenchByte(at + i);
    const uint64_t t0 = testing_lib::ReadTsc();
    auto written = client.Write(file.value().handle, g_chunk, kBenchCall);
    write_ticks += testing_lib::ReadTsc() - t0;
    ok = written.ok() && written.value() == kBenchCall;
  }
  const uint64_t t0 = testing_lib::ReadTsc();
  ok = client.Close(file.value().handle).ok() && ok;
  write_ticks += testing_lib::ReadTsc() - t0;
  r.Check(ok, "bench: write 16 MiB sequentially");

  auto again = client.Open("/bench16.bin");
  ok = again.ok() && again.value().size == kBenchBytes;
  uint64_t read_ticks = 0;
  uint64_t wrong = 0;
  for (uint64_t at = 0; at < kBenchBytes && ok; at += kBenchCall) {
    const uint64_t t1 = testing_lib::ReadTsc();
    auto read = client.Read(again.value().handle, g_chunk, kBenchCall);
    read_ticks += testing_lib::ReadTsc() - t1;
    ok = read.ok() && read.value() == kBenchCall;
    for (uint64_t i = 0; ok && i < kBenchCall; ++i) wrong += g_chunk[i] != BenchByte(at + i);
  }
  if (again.ok()) (void)client.Close(again.value().handle);
  r.Check(ok && wrong == 0, "bench: read 16 MiB back sequentially, every byte");
  r.Check(client.Unlink("/bench16.bin").ok(), "bench: unlink /bench16.bin");
  const uint64_t blocks = kBenchBytes / 4096;
  rt::Printf("blkstack_test: bench: sequential write, guest TSC/128 per 4 KiB: %lu",
             write_ticks / kTscPerInstruction / blocks);
  rt::Printf("blkstack_test: bench: sequential read, guest TSC/128 per 4 KiB: %lu",
             read_ticks / kTscPerInstruction / blocks);
}

int Run(const uapi::BootInfo& info) {
  rt::SetLogHandle(uapi::kRootLogHandle);
  rt::InitPages(kMemory, kVmem);
  auto initfs = testing_lib::UnpackRootInitfs(info, "blkstack_test");
  if (!initfs.ok()) return 1;
  const ustar::Archive& archive = initfs.value().archive;
  rt::Printf("blkstack_test: command line: %s", info.command_line);
  if (!testing_lib::SetUpRootIpcBuffer()) return 1;

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
  // Write on the endpoint: pcid makes the notice Senders of its claim leases from it
  // (exit_watch.h).
  ServerStart start;
  start.test = "blkstack_test";
  start.archive = &archive;
  start.path = pcid_args[0];
  start.args = pcid_args;
  start.arg_count = 2;
  start.caps = pcid_caps;
  start.cap_count = 2;
  start.pid = 10;
  start.client_badge = kClientBadge;
  if (!StartServer(start, &pcid)) return 1;
  const rt::SpawnCap blk_caps[] = {
      {"pcid", pcid.badged, uapi::Rights::kWrite},
  };
  start.path = "initfs:///sbin/virtio-blk";
  start.args = nullptr;
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
  auto readme = client.Stat("/README.txt");
  reporter.Check(readme.ok() && !readme.value().directory && readme.value().size > 0,
                 "virtio disk: /README.txt is there");
  reporter.Check(fstest::RandomFileIntact(client),
                 "virtio disk: every byte of /data/random-5MiB.bin");
  fstest::RunSequence(client, fstest::SequenceOptions{"vda fat32", nullptr}, reporter);
  Bench(client, reporter);

  // Everything shuts down from our Sender: vfsd exits (its fsd.fat32 first), then virtio-blk
  // (its last client gone), then pcid (virtio-blk was its only client).
  reporter.Check(StopAndWait(vfsd, "blkstack_test", "vfsd"),
                 "vfsd exits when its last client is gone");
  reporter.Check(StopAndWait(disk, "blkstack_test", "virtio-blk"),
                 "virtio-blk exits when vfsd is gone");
  reporter.Check(StopAndWait(pcid, "blkstack_test", "pcid"), "pcid exits when virtio-blk is gone");
  rt::Printf("blkstack_test: %d passed, %d failed", reporter.passed, reporter.failed);
  return reporter.failed == 0 ? 0 : 1;
}

}  // namespace

int UserMain(uint64_t boot_info_address, uint64_t) {
  return Run(*reinterpret_cast<const uapi::BootInfo*>(boot_info_address));
}
