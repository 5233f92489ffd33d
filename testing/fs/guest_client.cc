// testing/fs/guest_client.cc — StartVfsd, AttachBuffer, RandomFileIntact, LogReporter.
#include "testing/fs/guest_client.h"

#include "lib/format/format.h"
#include "services/lib/print.h"
#include "services/lib/syscalls.h"
#include "services/vfsd/ipc_channel.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace hiillos::fstest {
namespace {

constexpr uint32_t kDiskRandomSeed = 5;
constexpr uint64_t kDiskRandomSize = 5 * 1024 * 1024;
uint8_t g_chunk[64 * 1024];

}  // namespace

bool StartVfsd(testing_lib::ServerStart start, uint32_t initfs_frame, const char* command_line,
               const BlockDevice* blocks, size_t block_count, testing_lib::Server* out) {
  if (block_count > kMaxBlockDevices) return false;
  char cmdline_env[uapi::kCommandLineSize + 16];
  format::FormatToBuffer(cmdline_env, sizeof(cmdline_env), "kernel.cmdline=%s", command_line);
  const char* const env[] = {cmdline_env};
  rt::SpawnCap caps[1 + kMaxBlockDevices] = {
      {"initfs", initfs_frame, uapi::Rights::kRead | uapi::Rights::kMap},
  };
  for (size_t i = 0; i < block_count; ++i) {
    caps[1 + i] = {blocks[i].cap_name, blocks[i].sender,
                   uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer};
  }
  start.path = "initfs:///sbin/vfsd";
  start.args = nullptr;
  start.env = env;
  start.env_count = 1;
  start.caps = caps;
  start.cap_count = 1 + block_count;
  start.log_rights = uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer;
  return testing_lib::StartServer(start, out);
}

bool AttachBuffer(uint32_t vfsd, uint64_t address, unsigned order) {
  constexpr uint32_t kMemory = uapi::kRootMemoryHandle;
  auto buffer = rt::MemoryAllocFrame(kMemory, order);
  if (!buffer.ok() || !rt::VmemMap(uapi::kRootVmemHandle, buffer.value(), address,
                                   uapi::kMapRead | uapi::kMapWrite, kMemory)
                           .ok()) {
    return false;
  }
  auto copy = rt::CapDerive(buffer.value(), uapi::Rights::kRead | uapi::Rights::kWrite |
                                                uapi::Rights::kMap | uapi::Rights::kTransfer);
  if (!copy.ok()) return false;
  fs::IpcBuffer()->caps[0] = uapi::IpcCap{copy.value(), uapi::kIpcMove, 0, 0};
  uapi::IpcMessage attach = fs::Request(static_cast<uint64_t>(vfs::Op::kAttachBuffer));
  attach.info = uapi::IpcInfo::Make(0, 1);
  auto attached = rt::Call(vfsd, attach);
  return attached.ok() && attached.value().words[0] == 0 &&
         attached.value().words[1] == (uint64_t{0x1000} << order);
}

bool RandomFileIntact(vfs::Client& client) {
  auto file = client.Open(kDiskRandomFile);
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
  return same && total == kDiskRandomSize;
}

void LogReporter::Note(const char* what, uint64_t value) {
  rt::Printf("%s: %s: %lu", checks.test(), what, value);
}

}  // namespace hiillos::fstest
