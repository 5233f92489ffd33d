// testing/fs/fs_test.cc — the file-system stack's guest test, run as the root process
// (`hiillos.test=user`: its exit code is the verdict). It unpacks the initfs, starts two RAM
// disks (ram0: the //disk image, ram1: a volume with a corrupt boot sector), then vfsd with both
// as block devices and the kernel command line (root=ram0; vfsd reads /etc/fstab, which mounts
// ram1 at /bad), attaches a buffer and runs testing/fs/sequence.h through vfsd: vfsd starts
// fsd.fat32 for "/" and for "/bad" on first use, the second logs why it refuses its volume, and
// the sequence unmounts and remounts "/" to read everything back through a fresh fsd.fat32. It
// also reads //disk's own sample files. Then it closes its Senders, waits for every server to
// exit and prints "fs_test: N passed, N failed".
#include "services/vfsd/text.h"

#include "lib/format/format.h"
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
constexpr uint64_t kDiskCopyAddress = 0x0000'2c00'0000'0000ull;
constexpr unsigned kClientBufferOrder = 4;  // 64 KiB

unsigned OrderFor(uint64_t bytes) {
  unsigned order = 0;
  while ((uint64_t{0x1000} << order) < bytes) ++order;
  return order;
}

// A RAM disk over a writable copy of `image` (an initfs file).
bool StartRamDisk(const ustar::Archive& archive, const char* image_path, uint64_t pid,
                  Server* out) {
  auto image = archive.Lookup(image_path);
  if (!image.ok()) {
    rt::Printf("fs_test: no /%s in initfs", image_path);
    return false;
  }
  auto frame = rt::MemoryAllocFrame(kMemory, OrderFor(image.value().size));
  if (!frame.ok() || !rt::VmemMap(kVmem, frame.value(), kDiskCopyAddress,
                                  uapi::kMapRead | uapi::kMapWrite, kMemory)
                          .ok()) {
    rt::Printf("fs_test: no memory for a %lu-byte disk", image.value().size);
    return false;
  }
  __builtin_memcpy(reinterpret_cast<void*>(kDiskCopyAddress), image.value().data,
                   image.value().size);
  (void)rt::VmemUnmap(kVmem, kDiskCopyAddress);
  char sectors[24];
  format::FormatToBuffer(sectors, sizeof(sectors), "%lu", image.value().size / 512);
  const char* const args[] = {"initfs:///sbin/ramdisk", sectors};
  const rt::SpawnCap disk[] = {
      {"disk", frame.value(), uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kMap},
  };
  ServerStart start;
  start.test = "fs_test";
  start.archive = &archive;
  start.path = args[0];
  start.args = args;
  start.arg_count = 2;
  start.caps = disk;
  start.cap_count = 1;
  start.pid = pid;
  start.endpoint_rights = uapi::Rights::kRead;
  const bool started = StartServer(start, out);
  (void)rt::CapDelete(frame.value());  // the server holds the disk frame now
  return started;
}

// //disk's own files, read through vfsd before the sequence changes anything.
void CheckSampleFiles(vfs::Client& client, fstest::LogReporter& r) {
  auto readme = client.Stat("/README.txt");
  r.Check(readme.ok() && !readme.value().directory && readme.value().size > 0,
          "//disk: /README.txt is there");
  auto hello = client.Stat("/docs/nested/deeper/hello.txt");
  r.Check(hello.ok() && hello.value().size > 0, "//disk: /docs/nested/deeper/hello.txt");
  auto long_name = client.Stat("/docs/A file with a long name.txt");
  r.Check(long_name.ok(), "//disk: a long file name");
  auto random = client.Stat("/data/random-5MiB.bin");
  r.Check(random.ok() && random.value().size == 5 * 1024 * 1024, "//disk: the 5 MiB file's size");
  r.Check(fstest::RandomFileIntact(client), "//disk: every byte of /data/random-5MiB.bin");
}

// //disk's /data/random-5MiB.bin: xorshift32 bytes from seed 5 (disk/BUILD.bazel's
// RANDOM_FILE_SEED, lib/fat32/testing/deterministic_bytes.cc), compared while streaming.
// initfs:// through vfsd: read-only, the same archive this test unpacked.
void CheckInitfs(vfs::Client& client, const ustar::Archive& archive, fstest::LogReporter& r) {
  auto expected = archive.Lookup("etc/fstab");
  auto file = client.Open("initfs:///etc/./fstab");
  char text[512] = {};
  auto read = file.ok()
                  ? client.Read(file.value().handle, reinterpret_cast<uint8_t*>(text), sizeof(text))
                  : Result<uint64_t, vfs::Error>(Err(file.error()));
  r.Check(expected.ok() && read.ok() && read.value() == expected.value().size &&
              __builtin_memcmp(text, expected.value().data, read.value()) == 0,
          "initfs:///etc/fstab through vfsd: the archive's bytes");
  if (file.ok()) (void)client.Close(file.value().handle);
  auto stat = client.Stat("initfs:///sbin");
  r.Check(stat.ok() && stat.value().directory, "initfs:///sbin is a directory");
  auto create = client.Open("initfs:///etc/new", vfs::kOpenCreate);
  r.Check(!create.ok() && create.error() == vfs::Error::kReadOnly,
          "creating a file in initfs://: kReadOnly");
}

int Run(const uapi::BootInfo& info) {
  auto initfs = testing_lib::StartRootTest(info, "fs_test");
  if (!initfs.ok()) return 1;
  const ustar::Archive& archive = initfs.value().archive;
  rt::Printf("fs_test: command line: %s", info.command_line);

  // Our own IPC buffer (the buffer capability goes to vfsd through it).
  if (!testing_lib::SetUpRootIpcBuffer()) return 1;

  Server ram0;
  Server ram1;
  Server vfsd;
  if (!StartRamDisk(archive, "disk/disk.img", 10, &ram0) ||
      !StartRamDisk(archive, "disk/corrupt.img", 11, &ram1)) {
    return 1;
  }
  const fstest::BlockDevice blocks[] = {{"block.ram0", ram0.sender}, {"block.ram1", ram1.sender}};
  ServerStart start;
  start.test = "fs_test";
  start.archive = &archive;
  start.pid = 3;
  start.endpoint_rights = uapi::Rights::kRead;
  if (!fstest::StartVfsd(start, initfs.value().frame, info.command_line, blocks, 2, &vfsd)) {
    return 1;
  }
  // vfsd has its own copies of the block Senders: ours go, so the RAM disks end with vfsd.
  testing_lib::DropSenders(ram0);
  testing_lib::DropSenders(ram1);

  // The session buffer, attached with kAttachBuffer (the capability moves to vfsd).
  fstest::LogReporter reporter("fs_test");
  reporter.Check(fstest::AttachBuffer(vfsd.sender, kClientBufferAddress, kClientBufferOrder),
                 "attach a 64 KiB buffer to vfsd");

  fs::IpcChannel channel(vfsd.sender);
  vfs::Client client(channel, reinterpret_cast<uint8_t*>(kClientBufferAddress),
                     uint64_t{0x1000} << kClientBufferOrder);
  CheckSampleFiles(client, reporter);
  CheckInitfs(client, archive, reporter);
  fstest::RunSequence(client, fstest::SequenceOptions{"ram0 fat32", "/bad"}, reporter);

  // Everything shuts down from our Sender: vfsd exits, its drivers see vfsd gone and exit, the
  // RAM disks see their drivers gone and exit.
  reporter.Check(StopAndWait(vfsd, "fs_test", "vfsd"), "vfsd exits when its last client is gone");
  reporter.Check(StopAndWait(ram0, "fs_test", "ram0"), "ram0 exits when its drivers are gone");
  reporter.Check(StopAndWait(ram1, "fs_test", "ram1"), "ram1 exits when its driver is gone");
  reporter.checks.PrintSummary();
  return reporter.checks.failed == 0 ? 0 : 1;
}

}  // namespace

int UserMain(uint64_t boot_info_address, uint64_t) {
  return Run(*reinterpret_cast<const uapi::BootInfo*>(boot_info_address));
}
