// testing/sysboot/fs_restart_test.cc — /bin/fs_restart_test (//testing/sysboot:fs_restart_test):
// started by init with Senders to vfsd and to init's control endpoint. It reads the disk's
// /data/random-5MiB.bin through vfsd and, 1 MiB in, asks init to kill vfsd (init -> proc Kill).
// init must restart vfsd (a new pid, one more restart); the client's next read on the same Sender
// must fail (the new vfsd has neither its session buffer nor its handle) rather than hang; the
// client then attaches a buffer again, reopens the file, seeks to where it was and reads the
// rest: every byte must be the disk's. Prints "fs_restart_test: N passed, N failed" and asks init
// to shut down with the number of failures as its exit code (root's, the run's verdict).
#include "services/init/protocol.h"
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/vfsd/client.h"
#include "services/vfsd/ipc_channel.h"

namespace {

using namespace hiillos;
namespace cp = init::protocol;

constexpr uint64_t kBufferAddress = 0x0000'2b00'0000'0000ull;
constexpr unsigned kBufferOrder = 4;  // 64 KiB
constexpr uint64_t kBufferBytes = uint64_t{0x1000} << kBufferOrder;
constexpr char kPath[] = "/data/random-5MiB.bin";
constexpr uint64_t kFileBytes = 5 * 1024 * 1024;
constexpr uint64_t kKillAt = 1024 * 1024;
constexpr uint32_t kSeed = 5;  // //disk's RANDOM_FILE_SEED (disk/BUILD.bazel)
uint8_t g_chunk[64 * 1024];

int g_passed = 0;
int g_failed = 0;

void Check(bool ok, const char* what) {
  (ok ? g_passed : g_failed) += 1;
  rt::Printf("fs_restart_test: %s: %s", ok ? "ok" : "FAILED", what);
}

// Maps a fresh session buffer (first time) and attaches a copy to vfsd; vfsd's status or the IPC
// failure (as kDriverUnavailable).
vfs::Error Attach(uint32_t vfsd, uint32_t memory, uint32_t vmem, bool map) {
  static uint32_t frame = 0;
  if (map) {
    auto allocated = rt::MemoryAllocFrame(memory, kBufferOrder);
    if (!allocated.ok() || !rt::VmemMap(vmem, allocated.value(), kBufferAddress,
                                        uapi::kMapRead | uapi::kMapWrite, memory)
                                .ok()) {
      return vfs::Error::kNoBuffer;
    }
    frame = allocated.value();
  }
  auto copy = rt::CapDerive(frame, uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kMap |
                                       uapi::Rights::kTransfer);
  if (!copy.ok()) return vfs::Error::kNoBuffer;
  fs::IpcBuffer()->caps[0] = uapi::IpcCap{copy.value(), uapi::kIpcMove, 0, 0};
  uapi::IpcMessage attach = fs::Request(static_cast<uint64_t>(vfs::Op::kAttachBuffer));
  attach.info = uapi::IpcInfo::Make(0, 1);
  auto reply = rt::Call(vfsd, attach);
  if (!reply.ok()) return vfs::Error::kDriverUnavailable;
  return static_cast<vfs::Error>(reply.value().words[0]);
}

struct ServiceState {
  bool ok = false;
  uint64_t pid = 0;
  uint64_t restarts = 0;
  uint64_t state = 0;
};

ServiceState Status(uint32_t init, const char* name) {
  uapi::IpcMessage request;
  request.words[0] = cp::kOpStatus;
  ServiceState status;
  if (!cp::PackName(name, &request.words[1])) return status;
  auto reply = rt::Call(init, request);
  if (!reply.ok() || reply.value().words[0] != cp::kOk) return status;
  return ServiceState{true, reply.value().words[1], reply.value().words[2], reply.value().words[3]};
}

// The file's bytes: xorshift32 from the seed, top byte of each step
// (lib/fat32/testing/deterministic_bytes.cc).
struct Expected {
  uint32_t state = kSeed * 2654435761u + 1;
  uint8_t Next() {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return static_cast<uint8_t>(state >> 24);
  }
};

// Reads from the open handle into g_chunk until `until` bytes of the file are done, comparing;
// false on a read error (*error set) or a wrong byte (*wrong counts them).
bool ReadUpTo(vfs::Client& client, uint64_t handle, uint64_t until, uint64_t* done,
              Expected& expected, uint64_t* wrong, vfs::Error* error) {
  while (*done < until) {
    const uint64_t want = until - *done < sizeof(g_chunk) ? until - *done : sizeof(g_chunk);
    auto read = client.Read(handle, g_chunk, want);
    if (!read.ok()) {
      *error = read.error();
      return false;
    }
    if (read.value() == 0) break;
    for (uint64_t i = 0; i < read.value(); ++i) *wrong += g_chunk[i] != expected.Next();
    *done += read.value();
  }
  return true;
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t init = rt::FindCap(start, "init");
  const uint32_t vfsd = rt::FindCap(start, "vfsd");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  if (init == 0 || vfsd == 0 || memory == 0 || vmem == 0) {
    rt::Printf("fs_restart_test: FAILED: started without init, vfsd, memory or vmem");
    return 1;
  }
  fs::IpcChannel channel(vfsd);
  vfs::Client client(channel, reinterpret_cast<uint8_t*>(kBufferAddress), kBufferBytes);
  Check(Attach(vfsd, memory, vmem, true) == vfs::Error::kOk, "attach a buffer to vfsd");
  auto file = client.Open(kPath);
  Check(file.ok() && file.value().size == kFileBytes, "open /data/random-5MiB.bin (5 MiB)");
  uint64_t done = 0;
  uint64_t wrong = 0;
  Expected expected;
  vfs::Error error = vfs::Error::kOk;
  const bool first =
      file.ok() && ReadUpTo(client, file.value().handle, kKillAt, &done, expected, &wrong, &error);
  Check(first && done == kKillAt, "read the first MiB");

  const ServiceState before = Status(init, "vfsd");
  uapi::IpcMessage kill;
  kill.words[0] = cp::kOpKill;
  (void)cp::PackName("vfsd", &kill.words[1]);
  auto killed = rt::Call(init, kill);
  Check(before.ok && killed.ok() && killed.value().words[0] == cp::kOk,
        "init killed vfsd through proc");
  ServiceState after;
  do {
    after = Status(init, "vfsd");
    (void)rt::Yield();
  } while (after.ok && after.state != cp::kStateStopped &&
           (after.state != cp::kStateRunning || after.pid == before.pid));
  rt::Printf("fs_restart_test: vfsd: pid %lu -> %lu, restarts %lu -> %lu", before.pid, after.pid,
             before.restarts, after.restarts);
  Check(after.ok && after.state == cp::kStateRunning && after.pid != before.pid &&
            after.restarts == before.restarts + 1,
        "init restarted vfsd under a new pid");

  // The same Sender reaches the new vfsd, which knows neither our buffer nor our handle.
  error = vfs::Error::kOk;
  const bool again = file.ok() && ReadUpTo(client, file.value().handle, done + 4096, &done,
                                           expected, &wrong, &error);
  rt::Printf("fs_restart_test: the read after the restart: %s", vfs::ErrorName(error));
  Check(!again && error != vfs::Error::kOk, "a read after the restart fails (no hang)");

  Check(Attach(vfsd, memory, vmem, false) == vfs::Error::kOk, "attach the buffer again");
  auto reopened = client.Open(kPath);
  Check(reopened.ok() && reopened.value().size == kFileBytes, "reopen the file");
  const bool rest =
      reopened.ok() &&
      client.Seek(reopened.value().handle, static_cast<int64_t>(done), vfs::kSeekSet).ok() &&
      ReadUpTo(client, reopened.value().handle, kFileBytes, &done, expected, &wrong, &error);
  Check(rest && done == kFileBytes && wrong == 0,
        "read the rest after the restart: every byte of the 5 MiB file");
  if (reopened.ok()) (void)client.Close(reopened.value().handle);

  rt::Printf("fs_restart_test: %d passed, %d failed", g_passed, g_failed);
  uapi::IpcMessage shutdown;
  shutdown.words[0] = cp::kOpShutdown;
  shutdown.words[1] = static_cast<uint64_t>(g_failed);
  (void)rt::Call(init, shutdown);
  return g_failed;
}
