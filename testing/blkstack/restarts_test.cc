// testing/blkstack/restarts_test.cc — services surviving their peers' deaths, run as the root
// process (`hiillos.test=user`: its exit code is the verdict) on a QEMU virtio-blk disk holding
// //disk. It plays the supervisor: starts pcid, virtio-blk (keeping its Receiver, as init keeps a
// service's endpoint) and vfsd (root=vda; vfsd starts fsd.fat32). A client process (sharing our
// address space, holding its own vfsd session with a lease) reads /data/random-5MiB.bin through
// vfsd -> fsd.fat32 -> virtio-blk in a loop and checks every byte. Then:
//   1. kill virtio-blk mid-read: pcid ends its claim (the lease), a new instance on the same
//      Receiver claims the disk again; the client gets kDriverUnavailable, then reads resume;
//   2. kill fsd.fat32 (vfsd kKillDriver): the client gets kDriverUnavailable, vfsd starts a new
//      driver on next use, reads resume;
//   3. kill the client process: vfsd ends its session (kStats: its handles are closed).
// Finally every byte of the file is read once more and everything shuts down cleanly; between
// virtio-blk and pcid exiting, the test claims the disk itself and gives it back (kRelease).
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/pcid/protocol.h"
#include "services/vfsd/client.h"
#include "services/vfsd/ipc_channel.h"
#include "testing/fs/guest_client.h"
#include "testing/lib/pcid_launch.h"
#include "testing/lib/poll_pause.h"
#include "testing/lib/root_setup.h"
#include "testing/lib/test_server.h"
#include "testing/lib/thread_start.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace {

using namespace hiillos;
using testing_lib::NewEndpoint;
using testing_lib::PcidLaunch;
using testing_lib::Server;
using testing_lib::ServerStart;
using testing_lib::StartServer;
using testing_lib::StopAndWait;

constexpr uint32_t kMemory = uapi::kRootMemoryHandle;
constexpr uint32_t kVmem = uapi::kRootVmemHandle;
constexpr uint64_t kMainBufferAddress = 0x0000'2b00'0000'0000ull;
constexpr uint64_t kClientBufferAddress = 0x0000'2c00'0000'0000ull;
constexpr unsigned kBufferOrder = 4;  // 64 KiB
constexpr uint64_t kBufferSize = uint64_t{0x1000} << kBufferOrder;
constexpr const char* kFile = "/data/random-5MiB.bin";
constexpr uint64_t kFileSize = 5 * 1024 * 1024;
constexpr uint32_t kDiskRandomSeed = 5;  // disk/BUILD.bazel
constexpr uint64_t kClientBadge = 1;     // the client's vfsd session
constexpr uint64_t kSecondDriverBadge = 2;

constinit fstest::LogReporter g_reporter("restarts_test");

void Check(bool ok, const char* what) {
  g_reporter.Check(ok, what);
}

// Starts `path` with `receiver` (made by NewEndpoint) as its "endpoint" (Read, Write: pcid and
// vfsd make notice Senders from it) plus `extra`. The Receiver stays ours when `keep`.
bool Start(const ustar::Archive& archive, const char* path, const char* const* args,
           size_t arg_count, const rt::SpawnCap* extra, size_t extra_count, uint64_t pid,
           uint32_t receiver, bool keep, Server* out) {
  ServerStart start;
  start.test = "restarts_test";
  start.archive = &archive;
  start.path = path;
  start.args = args;
  start.arg_count = arg_count;
  start.caps = extra;
  start.cap_count = extra_count;
  start.pid = pid;
  start.log_rights = uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer;
  start.receiver = receiver;
  start.keep_receiver = keep;
  return StartServer(start, out);
}

// Kills a server outright (a crash, as far as its peers can tell).
void Kill(Server& server) {
  (void)rt::ProcessKill(server.spawned.process);
  (void)rt::ThreadWait(server.spawned.thread);
  rt::Release(server.spawned);
  server.running = false;
}

// ---- the client process: shares our address space, owns its vfsd Sender and lease Receiver --

struct ClientShared {
  uint32_t vfsd = 0;  // the client process's handle (Sender, badge kClientBadge)
  volatile uint64_t reads_ok = 0;
  volatile uint64_t errors = 0;      // kDriverUnavailable
  volatile uint64_t bad_errors = 0;  // anything else
  volatile uint64_t last_bad = 0;
  volatile uint64_t mismatches = 0;
  volatile uint64_t passes = 0;  // whole file read and checked
  volatile bool pause = false;
  volatile bool paused = false;
};

ClientShared g_client;
alignas(16) uint8_t g_client_stack[16 * 1024];
uint8_t g_client_chunk[16 * 1024];

void Record(ClientShared& s, vfs::Error error) {
  if (error == vfs::Error::kDriverUnavailable) {
    s.errors = s.errors + 1;
  } else {
    s.bad_errors = s.bad_errors + 1;
    s.last_bad = static_cast<uint64_t>(error);
  }
}

// Reads the file over and over, each byte checked against the disk's generator. Never prints
// (the log capability is not this process's). Killed by the test.
void ClientMain(uint64_t arg) {
  ClientShared& s = *reinterpret_cast<ClientShared*>(arg);
  fs::IpcChannel channel(s.vfsd);
  vfs::Client client(channel, reinterpret_cast<uint8_t*>(kClientBufferAddress), kBufferSize);
  bool open = false;
  uint64_t handle = 0;
  uint64_t position = 0;
  uint32_t state = 0;
  for (;;) {
    if (!open) {
      auto file = client.Open(kFile);
      if (!file.ok()) {
        Record(s, file.error());
        continue;
      }
      handle = file.value().handle;
      open = true;
      position = 0;
      state = kDiskRandomSeed * 2654435761u + 1;
    }
    if (s.pause) {  // hold the file open while the test looks at vfsd's counters
      s.paused = true;
      while (s.pause) (void)rt::Yield();
      s.paused = false;
    }
    auto read = client.Read(handle, g_client_chunk, sizeof(g_client_chunk));
    if (!read.ok()) {
      Record(s, read.error());
      open = false;  // the handle died with the driver
      continue;
    }
    uint64_t wrong = 0;
    for (uint64_t i = 0; i < read.value(); ++i) {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      wrong += g_client_chunk[i] != static_cast<uint8_t>(state >> 24);
    }
    s.mismatches = s.mismatches + wrong;
    position += read.value();
    s.reads_ok = s.reads_ok + 1;
    if (read.value() < sizeof(g_client_chunk)) {
      if (position != kFileSize) s.mismatches = s.mismatches + 1;
      s.passes = s.passes + 1;
      (void)client.Close(handle);
      open = false;
    }
  }
}

struct ClientProcess {
  uint32_t process = 0;
  uint32_t thread = 0;
};

// Attaches the client's buffer to vfsd session kClientBadge with a lease, then starts the client
// process holding the session's Sender and the lease's only Receiver.
bool StartClient(uint32_t vfsd_badged, ClientProcess* out) {
  auto buffer = rt::MemoryAllocFrame(kMemory, kBufferOrder);
  if (!buffer.ok() || !rt::VmemMap(kVmem, buffer.value(), kClientBufferAddress,
                                   uapi::kMapRead | uapi::kMapWrite, kMemory)
                           .ok()) {
    return false;
  }
  auto copy = rt::CapDerive(buffer.value(), uapi::Rights::kRead | uapi::Rights::kWrite |
                                                uapi::Rights::kMap | uapi::Rights::kTransfer);
  auto lease = rt::MemoryAllocReceiver(kMemory);
  if (!copy.ok() || !lease.ok()) return false;
  auto lease_sender = rt::ReceiverCreateSender(kMemory, lease.value(), 0);
  if (!lease_sender.ok()) return false;
  fs::IpcBuffer()->caps[0] = uapi::IpcCap{copy.value(), uapi::kIpcMove, 0, 0};
  fs::IpcBuffer()->caps[1] = uapi::IpcCap{lease_sender.value(), uapi::kIpcMove, 0, 0};
  uapi::IpcMessage attach = fs::Request(static_cast<uint64_t>(vfs::Op::kAttachBuffer));
  attach.info = uapi::IpcInfo::Make(0, 2);
  auto attached = rt::Call(vfsd_badged, attach);
  if (!attached.ok() || attached.value().words[0] != 0) return false;

  auto process = rt::MemoryAllocProcess(kMemory, kVmem);
  if (!process.ok()) return false;
  auto sender = rt::ProcessGiveCap(process.value(), vfsd_badged, uapi::Rights::kWrite);
  auto held = rt::ProcessGiveCap(process.value(), lease.value(),
                                 uapi::Rights::kRead | uapi::Rights::kWrite);
  if (!sender.ok() || !held.ok()) return false;
  (void)rt::CapDelete(lease.value());  // the client process holds the lease's only Receiver
  auto thread = rt::MemoryAllocThread(kMemory, process.value());
  if (!thread.ok()) return false;
  g_client.vfsd = sender.value();
  const uapi::ThreadRegs regs = testing_lib::ThreadStartRegs(
      ClientMain, reinterpret_cast<uint64_t>(&g_client), g_client_stack, sizeof(g_client_stack));
  if (!rt::ThreadSetRegs(thread.value(), &regs).ok() || !rt::ThreadStart(thread.value()).ok()) {
    return false;
  }
  *out = ClientProcess{process.value(), thread.value()};
  return true;
}

// Between the polls of the test's wait loops: asleep, so the processes it waits for get the CPU
// (testing/lib/poll_pause.h). Made by ProgramMain.
testing_lib::PollPause* g_pause = nullptr;

// Waits until the client has done `count` more good reads than `from`.
void WaitForReads(uint64_t from, uint64_t count) {
  while (g_client.reads_ok < from + count) g_pause->Wait(1);
}

// The virtio-blk function's claimant badge + 1 as pcid lists it (0: unclaimed; ~0: not found).
uint64_t DiskClaimant(uint32_t pcid) {
  for (uint64_t index = 0;; ++index) {
    uapi::IpcMessage list = fs::Request(static_cast<uint64_t>(pcid::protocol::Op::kList), index);
    auto reply = rt::Call(pcid, list);
    if (!reply.ok() || reply.value().words[0] != 0) return ~uint64_t{0};
    if ((reply.value().words[2] & 0xffff) == 0x1af4 && (reply.value().words[2] >> 16) == 0x1042) {
      return fs::IpcBuffer()->words[2 * 6];
    }
  }
}

// kClaim (badge 0, with a lease we keep) and kRelease: only the claimant may release, and a
// released function is unclaimed again.
void ClaimAndRelease(Server& pcid) {
  uint64_t address = ~uint64_t{0};
  for (uint64_t index = 0; address == ~uint64_t{0}; ++index) {
    auto reply = rt::Call(pcid.sender, fs::Request(uint64_t(pcid::protocol::Op::kList), index));
    if (!reply.ok() || reply.value().words[0] != 0) break;
    if ((reply.value().words[2] & 0xffff) == 0x1af4 && (reply.value().words[2] >> 16) == 0x1042) {
      address = reply.value().words[1];
    }
  }
  auto lease = rt::MemoryAllocReceiver(kMemory);
  auto lease_sender = lease.ok() ? rt::ReceiverCreateSender(kMemory, lease.value(), 0)
                                 : Result<uint32_t, uapi::Status>(Err(lease.error()));
  if (address == ~uint64_t{0} || !lease_sender.ok()) {
    Check(false, "kClaim and kRelease by hand");
    return;
  }
  uapi::IpcMessage bare = fs::Request(uint64_t(pcid::protocol::Op::kClaim), address);
  auto refused = rt::Call(pcid.sender, bare);
  Check(refused.ok() && refused.value().words[0] == uint64_t(pcid::protocol::Error::kBadRequest),
        "pcid refuses kClaim without a lease");
  fs::IpcBuffer()->caps[0] = uapi::IpcCap{lease_sender.value(), uapi::kIpcMove, 0, 0};
  uapi::IpcMessage claim = bare;
  claim.info = uapi::IpcInfo::Make(0, 1);
  auto claimed = rt::Call(pcid.sender, claim);
  const bool ok = claimed.ok() && claimed.value().words[0] == 0;
  Check(ok && DiskClaimant(pcid.sender) == 1, "we claimed the disk (badge 0) after the driver");
  if (ok) {  // what the claim gave us: IrqLine, Notify, DeviceMemory, a BAR frame
    const uint64_t caps = uapi::IpcInfo::Caps(claimed.value().info);
    for (uint64_t i = 0; i < caps && i < uapi::kIpcMaxCaps; ++i) {
      (void)rt::CapDelete(fs::IpcBuffer()->caps[i].handle);
    }
  }
  auto other = rt::Call(pcid.badged, fs::Request(uint64_t(pcid::protocol::Op::kRelease), address));
  Check(other.ok() && other.value().words[0] == uint64_t(pcid::protocol::Error::kClaimed),
        "another badge cannot release our claim");
  auto released =
      rt::Call(pcid.sender, fs::Request(uint64_t(pcid::protocol::Op::kRelease), address));
  Check(released.ok() && released.value().words[0] == 0 && DiskClaimant(pcid.sender) == 0,
        "kRelease gave the disk back");
  (void)rt::CapDelete(lease.value());
}

uapi::IpcMessage Stats(uint32_t vfsd) {
  auto reply = rt::Call(vfsd, fs::Request(static_cast<uint64_t>(vfs::Op::kStats)));
  return reply.ok() ? reply.value() : fs::Request(~uint64_t{0});
}

int Run(const uapi::BootInfo& info) {
  auto initfs = testing_lib::StartRootTest(info, "restarts_test");
  if (!initfs.ok()) return 1;
  const ustar::Archive& archive = initfs.value().archive;
  // Our own IPC buffer where the loader would have put it (we are root: nobody loaded us).
  if (!testing_lib::SetUpRootIpcBuffer()) return 1;
  testing_lib::PollPause pause(kMemory);
  g_pause = &pause;

  // pcid (its Receiver is its own), virtio-blk (we keep its Receiver), vfsd.
  Server pcid;
  Server disk;
  Server vfsd;
  const testing_lib::PcidLaunch pcid_launch(info.acpi_rsdp);
  const uint32_t pcid_receiver = NewEndpoint(0, kClientBadge, &pcid);
  // The restarted virtio-blk gets its own badge, as a supervisor gives each driver one.
  auto pcid_second = rt::ReceiverCreateSender(kMemory, pcid_receiver, kSecondDriverBadge);
  if (pcid_receiver == 0 || !pcid_second.ok() ||
      !Start(archive, pcid_launch.path(), pcid_launch.args(), PcidLaunch::kArgCount,
             pcid_launch.caps(), PcidLaunch::kCapCount, 10, pcid_receiver, false, &pcid)) {
    return 1;
  }
  const char* const blk_args[] = {"initfs:///sbin/virtio-blk"};
  const rt::SpawnCap blk_caps[] = {{"pcid", pcid.badged, uapi::Rights::kWrite}};
  const uint32_t disk_receiver = NewEndpoint(0, kClientBadge, &disk);
  if (disk_receiver == 0 || !Start(archive, "initfs:///sbin/virtio-blk", blk_args, 1, blk_caps, 1,
                                   11, disk_receiver, true, &disk)) {
    return 1;
  }
  const fstest::BlockDevice vda[] = {{"block.vda", disk.sender}};
  ServerStart vfsd_start;
  vfsd_start.test = "restarts_test";
  vfsd_start.archive = &archive;
  vfsd_start.pid = 4;
  vfsd_start.receiver = NewEndpoint(0, kClientBadge, &vfsd);
  if (vfsd_start.receiver == 0 ||
      !fstest::StartVfsd(vfsd_start, initfs.value().frame, info.command_line, vda, 1, &vfsd)) {
    return 1;
  }

  // Our own session (0: the supervisor's), no lease.
  Check(fstest::AttachBuffer(vfsd.sender, kMainBufferAddress, kBufferOrder),
        "attach our buffer to vfsd");
  fs::IpcChannel channel(vfsd.sender);
  vfs::Client client(channel, reinterpret_cast<uint8_t*>(kMainBufferAddress), kBufferSize);
  Check(fstest::RandomFileIntact(client), "every byte of the file before anything dies");
  Check(DiskClaimant(pcid.sender) == kClientBadge + 1, "pcid: the disk is claimed by badge 1");

  ClientProcess reader;
  if (!StartClient(vfsd.badged, &reader)) {
    Check(false, "start the client process");
    return 1;
  }
  WaitForReads(0, 16);
  Check(true, "the client reads through vfsd -> fsd.fat32 -> virtio-blk");

  // 1. virtio-blk dies mid-read.
  uint64_t errors = g_client.errors;
  Kill(disk);
  rt::Printf("restarts_test: killed virtio-blk (reads so far %lu)", g_client.reads_ok);
  while (DiskClaimant(pcid.sender) != 0) g_pause->Wait(1);
  Check(true, "pcid ended the dead driver's claim");
  const rt::SpawnCap blk2_caps[] = {{"pcid", pcid_second.value(), uapi::Rights::kWrite}};
  if (!Start(archive, "initfs:///sbin/virtio-blk", blk_args, 1, blk2_caps, 1, 12, disk_receiver,
             true, &disk)) {
    return 1;
  }
  (void)rt::CapDelete(pcid_second.value());  // the new driver holds its own copy
  const uint64_t after_blk = g_client.reads_ok;
  while (g_client.errors == errors) g_pause->Wait(1);
  Check(true, "the client's call across the block driver's death failed (no hang)");
  WaitForReads(after_blk, 16);
  Check(true, "the client's later reads succeed (new fsd.fat32 on the new virtio-blk)");
  Check(DiskClaimant(pcid.sender) == kSecondDriverBadge + 1,
        "pcid granted the claim to the new driver (badge 2)");
  Check(g_client.bad_errors == 0, "every error the client saw was kDriverUnavailable");

  // 2. fsd.fat32 dies (vfsd kills it as a crash would).
  errors = g_client.errors;
  const uint64_t starts_before = Stats(vfsd.sender).words[5];
  __builtin_memcpy(reinterpret_cast<void*>(kMainBufferAddress), "/", 1);
  auto killed =
      rt::Call(vfsd.sender, fs::Request(static_cast<uint64_t>(vfs::Op::kKillDriver), 0, 1));
  Check(killed.ok() && killed.value().words[0] == 0, "vfsd killed fsd.fat32 of /");
  while (g_client.errors == errors) g_pause->Wait(1);
  Check(true, "the client's next call failed with kDriverUnavailable (no hang)");
  const uint64_t after_fsd = g_client.reads_ok;
  WaitForReads(after_fsd, 16);
  Check(true, "the client's later reads succeed (vfsd restarted fsd.fat32)");
  Check(Stats(vfsd.sender).words[5] > starts_before, "vfsd started a new fsd.fat32");
  Check(g_client.bad_errors == 0, "still only kDriverUnavailable errors");

  // 3. The client dies holding an open file: vfsd ends its session.
  g_client.pause = true;
  while (!g_client.paused) g_pause->Wait(1);
  uapi::IpcMessage stats = Stats(vfsd.sender);
  rt::Printf("restarts_test: vfsd before the client dies: %lu open, %lu sessions, %lu ended",
             stats.words[1], stats.words[2], stats.words[3]);
  Check(stats.words[0] == 0 && stats.words[1] == 1 && stats.words[2] == 2 && stats.words[3] == 0,
        "vfsd: the client holds one open file, two sessions");
  (void)rt::ProcessKill(reader.process);
  (void)rt::ThreadWait(reader.thread);
  (void)rt::CapDelete(reader.thread);
  (void)rt::CapDelete(reader.process);
  do {
    g_pause->Wait(1);
    stats = Stats(vfsd.sender);
  } while (stats.words[0] == 0 && stats.words[3] == 0);
  rt::Printf("restarts_test: vfsd after the client died: %lu open, %lu sessions, %lu ended",
             stats.words[1], stats.words[2], stats.words[3]);
  Check(stats.words[0] == 0 && stats.words[1] == 0 && stats.words[2] == 1 && stats.words[3] == 1,
        "vfsd closed the dead client's file and ended its session");
  rt::Printf("restarts_test: the client read %lu chunks (%lu whole passes), %lu errors",
             g_client.reads_ok, g_client.passes, g_client.errors);
  Check(g_client.mismatches == 0, "every byte the client read was right");
  Check(fstest::RandomFileIntact(client), "every byte of the file after the restarts");

  // Shut down: vfsd (no clients left), virtio-blk (vfsd was its client), pcid (its claimant gone,
  // after we claimed and released the disk ourselves).
  Check(StopAndWait(vfsd, "restarts_test", "vfsd"), "vfsd exits when its last client is gone");
  Check(StopAndWait(disk, "restarts_test", "virtio-blk"), "virtio-blk exits when vfsd is gone");
  while (DiskClaimant(pcid.sender) != 0) g_pause->Wait(1);
  Check(true, "pcid ended the claim of the virtio-blk that exited");
  ClaimAndRelease(pcid);
  Check(StopAndWait(pcid, "restarts_test", "pcid"), "pcid exits when its last client is gone");
  g_reporter.checks.PrintSummary();
  return g_reporter.checks.failed == 0 ? 0 : 1;
}

}  // namespace

int UserMain(uint64_t boot_info_address, uint64_t) {
  return Run(*reinterpret_cast<const uapi::BootInfo*>(boot_info_address));
}
