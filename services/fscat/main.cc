// services/fscat/main.cc — /bin/fscat: a client of vfsd that prints files. init starts it once
// the file-system stack is up (initfs/etc/init.conf); each argument is an fs:// path (a path "/a"
// is fs:///a), read through vfsd and printed line by line as `fscat: PATH: | LINE`, after one
// line giving its size. Capabilities: "vfsd" (a Sender to vfsd), "memory", "vmem", "log".
// Exit code: 0 when every file was read, 1 otherwise (each failure logged with vfsd's error).
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/vfsd/client.h"
#include "services/vfsd/ipc_channel.h"

namespace {

using namespace hiillos;

constexpr uint64_t kBufferAddress = 0x0000'2b00'0000'0000ull;
constexpr unsigned kBufferOrder = 4;  // 64 KiB, shared with vfsd
constexpr uint64_t kBufferBytes = uint64_t{0x1000} << kBufferOrder;
// At most this much of each file is printed.
constexpr uint64_t kMaxPrinted = 4096;
uint8_t g_data[kMaxPrinted + 1];

// Maps the session buffer and attaches it to vfsd (a copy of the frame capability moves).
bool AttachBuffer(uint32_t vfsd, uint32_t memory, uint32_t vmem) {
  auto frame = rt::MemoryAllocFrame(memory, kBufferOrder);
  if (!frame.ok() ||
      !rt::VmemMap(vmem, frame.value(), kBufferAddress, uapi::kMapRead | uapi::kMapWrite, memory)
           .ok()) {
    return false;
  }
  auto copy = rt::CapDerive(frame.value(), uapi::Rights::kRead | uapi::Rights::kWrite |
                                               uapi::Rights::kMap | uapi::Rights::kTransfer);
  if (!copy.ok()) return false;
  fs::IpcBuffer()->caps[0] = uapi::IpcCap{copy.value(), uapi::kIpcMove, 0, 0};
  uapi::IpcMessage attach = fs::Request(static_cast<uint64_t>(vfs::Op::kAttachBuffer));
  attach.info = uapi::IpcInfo::Make(0, 1);
  auto reply = rt::Call(vfsd, attach);
  if (!reply.ok()) {
    rt::Printf("fscat: vfsd unreachable: %s", uapi::StatusName(reply.error()));
    return false;
  }
  if (reply.value().words[0] != 0) {
    rt::Printf("fscat: vfsd refused the buffer: %s",
               vfs::ErrorName(static_cast<vfs::Error>(reply.value().words[0])));
    return false;
  }
  return true;
}

bool Print(vfs::Client& client, const char* path) {
  auto file = client.Open(path);
  if (!file.ok()) {
    rt::Printf("fscat: %s: error: %s", path, vfs::ErrorName(file.error()));
    return false;
  }
  const uint64_t wanted = file.value().size < kMaxPrinted ? file.value().size : kMaxPrinted;
  uint64_t got = 0;
  bool ok = true;
  while (got < wanted) {
    auto read = client.Read(file.value().handle, g_data + got, wanted - got);
    if (!read.ok()) {
      rt::Printf("fscat: %s: error: %s", path, vfs::ErrorName(read.error()));
      ok = false;
      break;
    }
    if (read.value() == 0) break;
    got += read.value();
  }
  (void)client.Close(file.value().handle);
  if (!ok) return false;
  rt::Printf("fscat: %s: %lu bytes%s", path, file.value().size,
             got < file.value().size ? " (the start printed)" : "");
  size_t line = 0;
  for (size_t i = 0; i <= got; ++i) {
    if (i < got && g_data[i] != '\n') continue;
    if (i > line || i < got) {
      g_data[i] = '\0';
      rt::Printf("fscat: %s: | %s", path, reinterpret_cast<const char*>(g_data + line));
    }
    line = i + 1;
  }
  return got == wanted;
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t vfsd = rt::FindCap(start, "vfsd");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  if (vfsd == 0 || memory == 0 || vmem == 0) {
    rt::Printf("fscat: needs vfsd, memory and vmem");
    return 1;
  }
  if (!AttachBuffer(vfsd, memory, vmem)) return 1;
  fs::IpcChannel channel(vfsd);
  vfs::Client client(channel, reinterpret_cast<uint8_t*>(kBufferAddress), kBufferBytes);
  bool all = true;
  for (size_t i = 1; i < start.arg_count(); ++i) all = Print(client, rt::Arg(start, i)) && all;
  return all ? 0 : 1;
}
