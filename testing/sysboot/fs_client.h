// testing/sysboot/fs_client.h — what fs_restart_test and fs_reader share: attaching a session
// buffer to vfsd, the expected bytes of //disk's /data/random-5MiB.bin, and a checked read loop.
// Header-only, guest programs only.
#pragma once

#include "services/lib/syscalls.h"
#include "services/vfsd/channel.h"
#include "services/vfsd/client.h"

namespace hiillos::sysboot {

inline constexpr char kPath[] = "/data/random-5MiB.bin";
inline constexpr uint64_t kFileBytes = 5 * 1024 * 1024;
inline constexpr uint32_t kSeed = 5;  // //disk's RANDOM_FILE_SEED (disk/BUILD.bazel)

// A session buffer: a frame mapped at `address` (the first Attach maps it), a copy of which is
// attached to a vfsd session (again after a vfsd restart: the new vfsd has no buffer of ours).
struct SessionBuffer {
  uint64_t address;
  unsigned order;
  uint32_t frame = 0;
  uint64_t bytes() const { return uint64_t{0x1000} << order; }
};

// Attaches `buffer` to the session of Sender `vfsd` (no lease); vfsd's status, kNoBuffer when
// the frame could not be made or mapped, kDriverUnavailable when the call failed.
inline vfs::Error Attach(uint32_t vfsd, uint32_t memory, uint32_t vmem, SessionBuffer& buffer) {
  if (buffer.frame == 0) {
    auto allocated = rt::MemoryAllocFrame(memory, buffer.order);
    if (!allocated.ok() || !rt::VmemMap(vmem, allocated.value(), buffer.address,
                                        uapi::kMapRead | uapi::kMapWrite, memory)
                                .ok()) {
      return vfs::Error::kNoBuffer;
    }
    buffer.frame = allocated.value();
  }
  auto copy = rt::CapDerive(buffer.frame, uapi::Rights::kRead | uapi::Rights::kWrite |
                                              uapi::Rights::kMap | uapi::Rights::kTransfer);
  if (!copy.ok()) return vfs::Error::kNoBuffer;
  fs::IpcBuffer()->caps[0] = uapi::IpcCap{copy.value(), uapi::kIpcMove, 0, 0};
  uapi::IpcMessage attach = fs::Request(static_cast<uint64_t>(vfs::Op::kAttachBuffer));
  attach.info = uapi::IpcInfo::Make(0, 1);
  auto reply = rt::Call(vfsd, attach);
  if (!reply.ok()) return vfs::Error::kDriverUnavailable;
  return static_cast<vfs::Error>(reply.value().words[0]);
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

// Reads from the open handle into chunk[chunk_bytes] until `until` bytes of the file are done,
// comparing each with `expected`; false on a read error (*error set). *wrong counts wrong bytes.
inline bool ReadUpTo(vfs::Client& client, uint64_t handle, uint64_t until, uint8_t* chunk,
                     uint64_t chunk_bytes, uint64_t* done, Expected& expected, uint64_t* wrong,
                     vfs::Error* error) {
  while (*done < until) {
    const uint64_t want = until - *done < chunk_bytes ? until - *done : chunk_bytes;
    auto read = client.Read(handle, chunk, want);
    if (!read.ok()) {
      *error = read.error();
      return false;
    }
    if (read.value() == 0) break;
    for (uint64_t i = 0; i < read.value(); ++i) *wrong += chunk[i] != expected.Next();
    *done += read.value();
  }
  return true;
}

}  // namespace hiillos::sysboot
