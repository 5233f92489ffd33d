// testing/sysboot/fs_reader.cc — /bin/fs_reader (//testing/sysboot:fs_restart_test_smp*): a
// second vfsd client started by init next to fs_restart_test, with its own Sender (vfsd is
// `sessions = per-client`), so its own session and buffer. It reads /data/random-5MiB.bin
// kPasses times while fs_restart_test reads the same file and has init kill services under
// both; every byte is checked. On any error it attaches its buffer again (a restarted vfsd has
// none), reopens, seeks back to where it was and goes on. Sharing one session with the other
// client (one buffer for two) would put the other's data in its buffer: wrong bytes. Prints
// "fs_reader: N passes, every byte checked: W wrong, E errors recovered" and exits 0 only with
// every pass complete and no wrong byte.
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/vfsd/client.h"
#include "services/vfsd/ipc_channel.h"
#include "testing/sysboot/fs_client.h"

namespace {

using namespace hiillos;
using sysboot::kFileBytes;

constexpr int kPasses = 2;
// Consecutive failed recoveries before giving up (each yields: a service is restarting).
constexpr uint64_t kMaxConsecutiveErrors = 100000;
uint8_t g_chunk[16 * 1024];

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t vfsd = rt::FindCap(start, "vfsd");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  if (vfsd == 0 || memory == 0 || vmem == 0) {
    rt::Printf("fs_reader: FAILED: started without vfsd, memory or vmem");
    return 1;
  }
  sysboot::SessionBuffer buffer{0x0000'2d00'0000'0000ull, 2};  // 16 KiB
  fs::IpcChannel channel(vfsd);
  vfs::Client client(channel, reinterpret_cast<uint8_t*>(buffer.address), buffer.bytes());
  uint64_t wrong = 0;
  uint64_t errors = 0;
  uint64_t consecutive = 0;
  int passes = 0;
  bool attached = sysboot::Attach(vfsd, memory, vmem, buffer) == vfs::Error::kOk;
  while (passes < kPasses && consecutive < kMaxConsecutiveErrors) {
    uint64_t done = 0;
    sysboot::Expected expected;
    bool open = false;
    uint64_t handle = 0;
    while (done < kFileBytes && consecutive < kMaxConsecutiveErrors) {
      vfs::Error error = vfs::Error::kOk;
      if (!attached) {
        attached = sysboot::Attach(vfsd, memory, vmem, buffer) == vfs::Error::kOk;
        if (!attached) error = vfs::Error::kNoBuffer;
      }
      if (attached && !open) {
        auto file = client.Open(sysboot::kPath);
        if (file.ok() &&
            client.Seek(file.value().handle, static_cast<int64_t>(done), vfs::kSeekSet).ok()) {
          handle = file.value().handle;
          open = true;
        } else {
          error = file.ok() ? vfs::Error::kBadHandle : file.error();
        }
      }
      const uint64_t before = done;
      if (open &&
          sysboot::ReadUpTo(client, handle, kFileBytes, g_chunk, sizeof(g_chunk), &done, expected,
                            &wrong, &error) &&
          done == before) {
        break;  // end of file short of kFileBytes: counted below
      }
      if (error == vfs::Error::kOk) continue;
      ++errors;
      ++consecutive;
      open = false;
      if (error == vfs::Error::kNoBuffer || error == vfs::Error::kBadHandle) attached = false;
      (void)rt::Yield();
      if (done > before) consecutive = 0;
    }
    if (open) (void)client.Close(handle);
    if (done != kFileBytes) break;
    ++passes;
    consecutive = 0;
  }
  const bool ok = passes == kPasses && wrong == 0;
  rt::Printf("fs_reader: %d passes, every byte checked: %lu wrong, %lu errors recovered%s", passes,
             wrong, errors, ok ? "" : " (FAILED)");
  return ok ? 0 : 1;
}
