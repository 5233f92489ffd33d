// testing/sysboot/fs_restart_test.cc — /bin/fs_restart_test
// (//testing/sysboot:fs_restart_test_smp1, _smp4): started by init (testing/sysboot/restart.conf)
// with its own vfsd session ("vfsd", a per-client badge), vfsd's supervisor session ("admin", badge
// 0: KillDriver), a Sender to pcid and init's control endpoint. It reads the disk's
// /data/random-5MiB.bin through vfsd, checking every byte, and between reads has each part of the
// stack killed in turn:
//   virtio-blk (init -> proc Kill): pcid ends the dead driver's claim, init restarts it, the new
//     instance claims the disk again; our next read fails (no hang), then reads resume;
//   fsd.fat32 (vfsd KillDriver): the next read fails with DriverUnavailable, then resume;
//   pcid (init): virtio-blk keeps serving the device it holds, so reads go on without an error;
//     the new pcid lists the disk as held by a driver from before it (kClaimantUnknown);
//   vfsd (init): the next read fails (the new vfsd has neither our buffer nor our handle); we
//     attach the buffer again, reopen, seek and go on.
// Each service must come back under a new pid with one more restart. Meanwhile fs_reader (its own
// session) reads the file too; we wait for it to finish. Finally the whole file is read once more.
// Prints "fs_restart_test: N passed, N failed" and asks init to shut down with the number of
// failures as its exit code (root's, the run's verdict).
#include "lib/format/format.h"
#include "services/init/protocol.h"
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/pcid/protocol.h"
#include "services/vfsd/client.h"
#include "services/vfsd/ipc_channel.h"
#include "testing/lib/check_log.h"
#include "testing/lib/init_control.h"
#include "testing/lib/poll_pause.h"
#include "testing/sysboot/fs_client.h"

namespace {

using namespace hiillos;
namespace cp = init::protocol;
using sysboot::kFileBytes;
using testing_lib::QueryService;
using testing_lib::ServiceState;

constexpr uint64_t kStep = 512 * 1024;   // read between kills
constexpr uint64_t kProbe = 128 * 1024;  // the read right after a kill
uint8_t g_chunk[64 * 1024];

constinit testing_lib::CheckLog g_checks("fs_restart_test");

void Check(bool ok, const char* what) {
  g_checks.Check(ok, what);
}

// Has init kill `name` and waits until it runs again under a new pid (or is stopped); checks the
// new pid and the restart count.
void KillAndWait(uint32_t init, const char* name) {
  const ServiceState before = QueryService(init, name);
  const bool killed = testing_lib::KillService(init, name, nullptr);
  char what[96];
  (void)format::FormatToBuffer(what, sizeof(what), "init killed %s through proc", name);
  Check(before.ok && killed, what);
  const ServiceState after = testing_lib::WaitRunning(init, name, before.pid);
  rt::Printf("fs_restart_test: %s: pid %lu -> %lu, restarts %lu -> %lu", name, before.pid,
             after.pid, before.restarts, after.restarts);
  (void)format::FormatToBuffer(what, sizeof(what), "init restarted %s under a new pid", name);
  Check(after.ok && after.state == cp::kStateRunning && after.pid != before.pid &&
            after.restarts == before.restarts + 1,
        what);
}

// The virtio-blk function's word 12 in pcid's kList (the claimant's badge + 1, 0 unclaimed,
// kClaimantUnknown); false when pcid does not list it.
bool DiskClaimant(uint32_t pcid, uint64_t* claimant) {
  namespace pp = pcid::protocol;
  for (uint64_t index = 0;; ++index) {
    auto reply = rt::Call(pcid, fs::Request(static_cast<uint64_t>(pp::Op::kList), index));
    if (!reply.ok() || reply.value().words[0] != 0) return false;
    if ((reply.value().words[2] & 0xffff) == 0x1af4 && (reply.value().words[2] >> 16) == 0x1042) {
      *claimant = fs::IpcBuffer()->words[2 * 6];
      return true;
    }
  }
}

// The reading client: its session, open handle, position and the bytes it expects next.
struct Reader {
  Reader(uint32_t vfsd_sender, uint32_t memory_cap, uint32_t vmem_cap)
      : vfsd(vfsd_sender), memory(memory_cap), vmem(vmem_cap) {}
  uint32_t vfsd, memory, vmem;
  sysboot::SessionBuffer buffer{0x0000'2b00'0000'0000ull, 4};  // 64 KiB
  fs::IpcChannel channel{vfsd};
  vfs::Client client{channel, reinterpret_cast<uint8_t*>(buffer.address), buffer.bytes()};
  uint64_t handle = 0;
  uint64_t done = 0;
  uint64_t wrong = 0;
  sysboot::Expected expected;

  // Reads `bytes` more (or to the end); the error, kOk when all were read.
  vfs::Error Read(uint64_t bytes) {
    vfs::Error error = vfs::Error::kOk;
    const uint64_t until = done + bytes < kFileBytes ? done + bytes : kFileBytes;
    if (!sysboot::ReadUpTo(client, handle, until, g_chunk, sizeof(g_chunk), &done, expected, &wrong,
                           &error)) {
      return error;
    }
    return done == until ? vfs::Error::kOk : vfs::Error::kIoError;  // ended early
  }

  // Opens the file again (after attaching the buffer again when `attach`) and seeks to `done`.
  bool Reopen(bool attach) {
    if (attach && sysboot::Attach(vfsd, memory, vmem, buffer) != vfs::Error::kOk) return false;
    auto file = client.Open(sysboot::kPath);
    if (!file.ok() || file.value().size != kFileBytes) return false;
    handle = file.value().handle;
    return client.Seek(handle, static_cast<int64_t>(done), vfs::kSeekSet).ok();
  }
};

// After a kill: the next read fails (when `fails`) or succeeds, then the file reopens (when it
// failed) and kStep more bytes read right.
void ReadAcross(Reader& reader, const char* name, bool fails, bool attach) {
  const vfs::Error probe = reader.Read(kProbe);
  rt::Printf("fs_restart_test: the read after %s's kill: %s", name, vfs::ErrorName(probe));
  char what[112];
  (void)format::FormatToBuffer(what, sizeof(what), "the next read %s (no hang)",
                               fails ? "fails" : "succeeds");
  Check((probe != vfs::Error::kOk) == fails, what);
  if (probe != vfs::Error::kOk) {
    (void)format::FormatToBuffer(what, sizeof(what), "reopened the file after %s's restart", name);
    Check(reader.Reopen(attach), what);
  }
  (void)format::FormatToBuffer(what, sizeof(what),
                               "reads resume after %s's restart, every byte right", name);
  Check(reader.Read(kStep) == vfs::Error::kOk && reader.wrong == 0, what);
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t init = rt::FindCap(start, "init");
  const uint32_t vfsd = rt::FindCap(start, "vfsd");
  const uint32_t admin = rt::FindCap(start, "admin");
  const uint32_t pcid = rt::FindCap(start, "pcid");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  if (init == 0 || vfsd == 0 || admin == 0 || pcid == 0 || memory == 0 || vmem == 0) {
    rt::Printf("fs_restart_test: FAILED: started without init, vfsd, admin, pcid, memory or vmem");
    return 1;
  }
  Reader reader(vfsd, memory, vmem);
  Check(sysboot::Attach(vfsd, memory, vmem, reader.buffer) == vfs::Error::kOk,
        "attach a buffer to vfsd");
  auto file = reader.client.Open(sysboot::kPath);
  Check(file.ok() && file.value().size == kFileBytes, "open /data/random-5MiB.bin (5 MiB)");
  if (file.ok()) reader.handle = file.value().handle;
  Check(reader.Read(kStep) == vfs::Error::kOk && reader.wrong == 0, "read the first 512 KiB");
  uint64_t claimant = 0;
  Check(DiskClaimant(pcid, &claimant) && claimant == init::protocol::kClientBadge + 1,
        "pcid lists the disk claimed by virtio-blk (badge 1)");

  // 1. virtio-blk: pcid ends its claim, the new instance claims the disk again.
  KillAndWait(init, "virtio-blk");
  ReadAcross(reader, "virtio-blk", true, false);
  Check(DiskClaimant(pcid, &claimant) && claimant == init::protocol::kClientBadge + 1,
        "pcid lists the disk claimed again (by the new virtio-blk)");

  // 2. fsd.fat32, through vfsd's supervisor session (badge 0; its own small buffer holds "/").
  sysboot::SessionBuffer admin_buffer{0x0000'2e00'0000'0000ull, 0};
  const bool admin_ok = sysboot::Attach(admin, memory, vmem, admin_buffer) == vfs::Error::kOk;
  uint64_t starts_before = 0;
  if (auto stats = rt::Call(admin, fs::Request(static_cast<uint64_t>(vfs::Op::kStats)));
      stats.ok()) {
    starts_before = stats.value().words[5];
  }
  *reinterpret_cast<volatile char*>(admin_buffer.address) = '/';
  auto killed = rt::Call(admin, fs::Request(static_cast<uint64_t>(vfs::Op::kKillDriver), 0, 1));
  Check(admin_ok && killed.ok() && killed.value().words[0] == 0,
        "vfsd killed fsd.fat32 of / (KillDriver on session 0)");
  ReadAcross(reader, "fsd.fat32", true, false);
  auto stats = rt::Call(admin, fs::Request(static_cast<uint64_t>(vfs::Op::kStats)));
  Check(stats.ok() && stats.value().words[5] > starts_before, "vfsd started a new fsd.fat32");

  // 3. pcid: virtio-blk keeps the device; the new pcid finds it held by a driver from before.
  KillAndWait(init, "pcid");
  ReadAcross(reader, "pcid", false, false);
  Check(DiskClaimant(pcid, &claimant) && claimant == pcid::protocol::kClaimantUnknown,
        "the new pcid lists the disk as held by a driver from before it");

  // 4. vfsd: the new vfsd knows neither our buffer nor our handle.
  KillAndWait(init, "vfsd");
  ReadAcross(reader, "vfsd", true, true);

  // The rest of the file, then all of it once more from the start.
  Check(
      reader.Read(kFileBytes) == vfs::Error::kOk && reader.done == kFileBytes && reader.wrong == 0,
      "read the rest: every byte of the 5 MiB file");
  (void)reader.client.Close(reader.handle);
  reader.done = 0;
  reader.expected = sysboot::Expected{};
  Check(reader.Reopen(false) && reader.Read(kFileBytes) == vfs::Error::kOk &&
            reader.done == kFileBytes && reader.wrong == 0,
        "read the whole file again: every byte right");
  (void)reader.client.Close(reader.handle);

  // fs_reader (its own session) must finish by itself; its exit code is in init's log. Asleep
  // between the queries: spinning here took the CPU time fs_reader's reads needed.
  testing_lib::PollPause pause(memory);
  ServiceState other;
  do {
    other = QueryService(init, "fs_reader");
    pause.Wait(10);
  } while (other.ok && other.state == cp::kStateRunning);
  Check(other.ok && other.state == cp::kStateStopped && other.restarts == 0,
        "fs_reader finished (its own session, read concurrently)");

  testing_lib::ReportAndShutdown(init, g_checks);
  return g_checks.failed;
}
