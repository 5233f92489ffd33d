// services/ramdisk/main.cc — /sbin/ramdisk: serves the block protocol over a disk image in
// memory (services/ramdisk/ram_disk.h). Capabilities: "endpoint" (its Receiver), "disk" (the
// image's frame: Read, Write, Map; Read and Map only for a read-only disk), "memory", "vmem".
// Arguments: the sector count (decimal; at most the frame's size) and optionally "ro". One
// session at a time (the last attached buffer serves every badge; requests naming an earlier
// attachment's id get kNoBuffer). The spawner registers its IPC
// buffer (services/vfsd/spawn.h) before any client can call. Exits when its last Sender is gone.
#include "services/block/serve_loop.h"
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
  rt::Printf("ramdisk: serving %lu sectors%s", sectors, read_only ? " (read-only)" : "");
  block::ServeBlockRequests(
      server.checks(), block::ServeLoopConfig{endpoint, reply_slot.value(), vmem, memory,
                                              kBufferAddress, kMaxBufferBytes, fs::IpcBuffer()});
  return 0;
}
