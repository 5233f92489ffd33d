// services/ramdisk/main.cc — /sbin/ramdisk: serves the block protocol over a disk image in
// memory (services/ramdisk/ram_disk.h). Capabilities: "endpoint" (its Receiver), "disk" (the
// image's frame: Read, Write, Map; Read and Map only for a read-only disk), "memory", "vmem".
// Arguments: the sector count (decimal; at most the frame's size) and optionally "ro". One
// session at a time (the last attached buffer serves every badge). The spawner registers its IPC
// buffer (services/vfsd/spawn.h) before any client can call. Exits when its last Sender is gone.
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/ramdisk/ram_disk.h"
#include "services/vfsd/ipc_channel.h"

namespace {

using namespace hiillos;

constexpr uint64_t kDiskAddress = 0x0000'2900'0000'0000ull;
constexpr uint64_t kBufferAddress = 0x0000'2a00'0000'0000ull;
constexpr uint64_t kMaxBufferBytes = uint64_t{16} << 20;

uint64_t ParseDecimal(const char* text) {
  uint64_t value = 0;
  for (int i = 0; i < 19 && text[i] >= '0' && text[i] <= '9'; ++i) {
    value = value * 10 + static_cast<uint64_t>(text[i] - '0');
  }
  return value;
}

bool Equals(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t endpoint = rt::FindCap(start, "endpoint");
  const uint32_t disk = rt::FindCap(start, "disk");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  if (endpoint == 0 || disk == 0 || memory == 0 || vmem == 0 || start.arg_count() < 2) {
    rt::Printf("ramdisk: needs endpoint, disk, memory, vmem and a sector count");
    return 1;
  }
  const bool read_only = start.arg_count() > 2 && Equals(rt::Arg(start, 2), "ro");
  const uint64_t sectors = ParseDecimal(rt::Arg(start, 1));
  auto frame = rt::FrameInfo(disk);
  if (!frame.ok() || sectors == 0 || sectors > frame.value().size_bytes / block::kSectorSize) {
    rt::Printf("ramdisk: %lu sectors do not fit the disk frame", sectors);
    return 1;
  }
  const uint64_t flags = read_only ? uapi::kMapRead : (uapi::kMapRead | uapi::kMapWrite);
  if (!rt::VmemMap(vmem, disk, kDiskAddress, flags, memory).ok()) {
    rt::Printf("ramdisk: cannot map the disk image");
    return 1;
  }
  auto reply_slot = rt::MemoryAllocReply(memory);
  if (!reply_slot.ok()) return 1;
  ramdisk::RamDisk server(reinterpret_cast<uint8_t*>(kDiskAddress), sectors, read_only);
  uint32_t attached = 0;
  rt::Printf("ramdisk: serving %lu sectors%s", sectors, read_only ? " (read-only)" : "");

  // Receive; after the first request, answer the last one and receive in one call.
  uapi::IpcMessage reply;
  bool answering = false;
  for (;;) {
    auto message = answering ? rt::ReplyRecv(endpoint, reply_slot.value(), reply)
                             : rt::Recv(endpoint, reply_slot.value(), uapi::IpcMessage{});
    answering = false;
    if (!message.ok()) {
      if (message.error() == uapi::Status::kDead) break;
      continue;  // a caller that went away while we answered it
    }
    const uapi::IpcMessage& request = message.value();
    reply = uapi::IpcMessage{};
    const uint64_t caps = uapi::IpcInfo::Caps(request.info);
    const bool attach = static_cast<block::Op>(request.words[0]) == block::Op::kAttachBuffer;
    if (!attach || caps != 1) {
      // Only AttachBuffer takes a capability, exactly one: drop the rest.
      for (uint64_t i = 0; i < caps && i < uapi::kIpcMaxCaps; ++i) {
        (void)rt::CapDelete(fs::IpcBuffer()->caps[i].handle);
      }
    }
    if (attach) {
      block::Error error = block::Error::kBadRequest;
      if (caps == 1) {
        const uint32_t buffer = fs::IpcBuffer()->caps[0].handle;
        auto info = rt::FrameInfo(buffer);
        if (attached != 0) {  // the new frame replaces the old one
          server.Attach(nullptr, 0);
          (void)rt::VmemUnmap(vmem, kBufferAddress);
          (void)rt::CapDelete(attached);
          attached = 0;
        }
        if (info.ok() && info.value().size_bytes <= kMaxBufferBytes &&
            rt::VmemMap(vmem, buffer, kBufferAddress, uapi::kMapRead | uapi::kMapWrite, memory)
                .ok()) {
          attached = buffer;
          server.Attach(reinterpret_cast<uint8_t*>(kBufferAddress), info.value().size_bytes);
          error = block::Error::kOk;
          reply.words[1] = info.value().size_bytes;
        } else {
          (void)rt::CapDelete(buffer);
        }
      }
      reply.words[0] = static_cast<uint64_t>(error);
    } else {
      reply = server.Handle(request);
    }
    answering = true;
  }
  return 0;
}
