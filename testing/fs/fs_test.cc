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
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/root/unpack.h"
#include "services/vfsd/client.h"
#include "services/vfsd/ipc_channel.h"
#include "services/vfsd/spawn.h"
#include "testing/fs/sequence.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace {

using namespace hiillos;

constexpr uint32_t kMemory = uapi::kRootMemoryHandle;
constexpr uint32_t kVmem = uapi::kRootVmemHandle;
constexpr uint64_t kModuleAddress = 0x0000'3100'0000'0000ull;
constexpr uint64_t kClientBufferAddress = 0x0000'2b00'0000'0000ull;
constexpr uint64_t kDiskCopyAddress = 0x0000'2c00'0000'0000ull;
constexpr unsigned kClientBufferOrder = 4;  // 64 KiB

class LogReporter final : public fstest::Reporter {
 public:
  void Check(bool ok, const char* what) override {
    if (ok) {
      ++passed;
      rt::Printf("fs_test: ok: %s", what);
    } else {
      ++failed;
      rt::Printf("fs_test: FAILED: %s", what);
    }
  }
  void Note(const char* what, uint64_t value) override {
    rt::Printf("fs_test: %s: %lu", what, value);
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

unsigned OrderFor(uint64_t bytes) {
  unsigned order = 0;
  while ((uint64_t{0x1000} << order) < bytes) ++order;
  return order;
}

// A RAM disk over a writable copy of `image` (an initfs file).
struct Server {
  rt::Spawned spawned = {};
  uint32_t sender = 0;
  bool running = false;
};

bool StartRamDisk(const ustar::Archive& archive, const char* image_path, uint64_t pid,
                  Server* out) {
  auto image = archive.Lookup(image_path);
  auto program = archive.Lookup("sbin/ramdisk");
  if (!image.ok() || !program.ok()) {
    rt::Printf("fs_test: no /%s or /sbin/ramdisk in initfs", image_path);
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
  auto receiver = rt::MemoryAllocReceiver(kMemory);
  auto sender = receiver.ok() ? rt::ReceiverCreateSender(kMemory, receiver.value(), 0)
                              : Result<uint32_t, uapi::Status>(Err(receiver.error()));
  if (!sender.ok()) return false;
  char sectors[24];
  format::FormatToBuffer(sectors, sizeof(sectors), "%lu", image.value().size / 512);
  const char* const args[] = {"initfs:///sbin/ramdisk", sectors};
  const rt::SpawnCap caps[] = {
      {"endpoint", receiver.value(), uapi::Rights::kRead},
      {"disk", frame.value(), uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kMap},
      {"memory", kMemory, uapi::Rights::kAll},
      {"log", uapi::kRootLogHandle, uapi::Rights::kWrite},
  };
  rt::SpawnRequest request;
  request.memory = kMemory;
  request.own_vmem = kVmem;
  request.image = program.value().data;
  request.image_size = program.value().size;
  request.args = args;
  request.arg_count = 2;
  request.caps = caps;
  request.cap_count = 4;
  request.pid = pid;
  char why[128];
  auto spawned = fs::SpawnProgram(request, why, sizeof(why));
  // The server holds the only Receiver and the disk frame now.
  (void)rt::CapDelete(receiver.value());
  (void)rt::CapDelete(frame.value());
  if (!spawned.ok()) {
    rt::Printf("fs_test: cannot start the RAM disk: %s", why);
    return false;
  }
  *out = Server{spawned.value(), sender.value(), true};
  return true;
}

bool StartVfsd(const ustar::Archive& archive, uint32_t initfs_frame, const Server& ram0,
               const Server& ram1, const char* command_line, Server* out) {
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
      {"endpoint", receiver.value(), uapi::Rights::kRead},
      {"memory", kMemory, uapi::Rights::kAll},
      {"initfs", initfs_frame, uapi::Rights::kRead | uapi::Rights::kMap},
      {"log", uapi::kRootLogHandle,
       uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer},
      {"block.ram0", ram0.sender, block_rights},
      {"block.ram1", ram1.sender, block_rights},
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
  request.cap_count = 6;
  request.pid = 3;
  char why[128];
  auto spawned = fs::SpawnProgram(request, why, sizeof(why));
  (void)rt::CapDelete(receiver.value());
  if (!spawned.ok()) {
    rt::Printf("fs_test: cannot start vfsd: %s", why);
    return false;
  }
  *out = Server{spawned.value(), sender.value(), true};
  return true;
}

// Closes our Sender and waits for the server to exit by itself.
bool StopAndWait(Server& server, const char* name) {
  if (!server.running) return true;
  (void)rt::CapDelete(server.sender);
  auto exit = rt::ThreadWait(server.spawned.thread);
  rt::Release(server.spawned);
  server.running = false;
  const bool clean =
      exit.ok() && exit.value().reason == uapi::ExitReason::kExited && exit.value().code == 0;
  rt::Printf("fs_test: %s %s", name, clean ? "exited with code 0" : "did not exit cleanly");
  return clean;
}

bool RandomFileIntact(vfs::Client& client);

// //disk's own files, read through vfsd before the sequence changes anything.
void CheckSampleFiles(vfs::Client& client, LogReporter& r) {
  auto readme = client.Stat("/README.txt");
  r.Check(readme.ok() && !readme.value().directory && readme.value().size > 0,
          "//disk: /README.txt is there");
  auto hello = client.Stat("/docs/nested/deeper/hello.txt");
  r.Check(hello.ok() && hello.value().size > 0, "//disk: /docs/nested/deeper/hello.txt");
  auto long_name = client.Stat("/docs/A file with a long name.txt");
  r.Check(long_name.ok(), "//disk: a long file name");
  auto random = client.Stat("/data/random-5MiB.bin");
  r.Check(random.ok() && random.value().size == 5 * 1024 * 1024, "//disk: the 5 MiB file's size");
  r.Check(RandomFileIntact(client), "//disk: every byte of /data/random-5MiB.bin");
}

// //disk's /data/random-5MiB.bin: xorshift32 bytes from seed 5 (disk/BUILD.bazel's
// RANDOM_FILE_SEED, lib/fat32/testing/deterministic_bytes.cc), compared while streaming.
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

// initfs:// through vfsd: read-only, the same archive this test unpacked.
void CheckInitfs(vfs::Client& client, const ustar::Archive& archive, LogReporter& r) {
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
  rt::SetLogHandle(uapi::kRootLogHandle);
  rt::InitPages(kMemory, kVmem);
  const uapi::Module* module = nullptr;
  const uint32_t module_frame = FindModule(info, "initfs.tar.zst", &module);
  if (module_frame == 0) return 1;
  auto initfs = root::UnpackInitfs(kMemory, kVmem, module_frame, module->size, kModuleAddress,
                                   rt::kSharedDataAddress);
  if (!initfs.ok()) {
    rt::Printf("fs_test: initfs: %s", initfs.error().message);
    return 1;
  }
  const ustar::Archive& archive = initfs.value().archive;
  rt::Printf("fs_test: command line: %s", info.command_line);

  // Our own IPC buffer (the buffer capability goes to vfsd through it).
  auto ipc_page = rt::MemoryAllocFrame(kMemory, 0);
  if (!ipc_page.ok() ||
      !rt::VmemMap(kVmem, ipc_page.value(), rt::kIpcBufferAddress, uapi::kMapRead | uapi::kMapWrite,
                   kMemory)
           .ok() ||
      !rt::ThreadSetIpcBuffer(uapi::kRootThreadHandle, rt::kIpcBufferAddress).ok()) {
    return 1;
  }

  Server ram0;
  Server ram1;
  Server vfsd;
  if (!StartRamDisk(archive, "disk/disk.img", 10, &ram0) ||
      !StartRamDisk(archive, "disk/corrupt.img", 11, &ram1) ||
      !StartVfsd(archive, initfs.value().frame, ram0, ram1, info.command_line, &vfsd)) {
    return 1;
  }
  // vfsd has its own copies of the block Senders: ours go, so the RAM disks end with vfsd.
  (void)rt::CapDelete(ram0.sender);
  (void)rt::CapDelete(ram1.sender);
  ram0.sender = 0;
  ram1.sender = 0;

  // The session buffer, attached with kAttachBuffer (the capability moves to vfsd).
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
  CheckSampleFiles(client, reporter);
  CheckInitfs(client, archive, reporter);
  fstest::RunSequence(client, fstest::SequenceOptions{"ram0 fat32", "/bad"}, reporter);

  // Everything shuts down from our Sender: vfsd exits, its drivers see vfsd gone and exit, the
  // RAM disks see their drivers gone and exit.
  reporter.Check(StopAndWait(vfsd, "vfsd"), "vfsd exits when its last client is gone");
  reporter.Check(StopAndWait(ram0, "ram0"), "ram0 exits when its drivers are gone");
  reporter.Check(StopAndWait(ram1, "ram1"), "ram1 exits when its driver is gone");
  rt::Printf("fs_test: %d passed, %d failed", reporter.passed, reporter.failed);
  return reporter.failed == 0 ? 0 : 1;
}

}  // namespace

int UserMain(uint64_t boot_info_address, uint64_t) {
  return Run(*reinterpret_cast<const uapi::BootInfo*>(boot_info_address));
}
