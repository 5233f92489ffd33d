// services/fsd_fat32/fsd_server.h — fsd.fat32's request handling (services/fsd_fat32/protocol.h)
// on lib/fat32, without IPC: main.cc is the loop, host tests call Handle directly.
//
// The volume is mounted on the first request. A mount that fails (corrupt image, I/O error) is
// reported once through `report` and every later request gets kCorrupt or kIoError: the driver
// never serves a volume it could not check. Files that are open cannot be unlinked or renamed
// (kBusy), so no handle ever points at freed clusters.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/fat32/file_system.h"
#include "services/fsd_fat32/protocol.h"
#include "uapi/ipc.h"

namespace hiillos::fsd {

inline constexpr size_t kMaxHandles = 64;

vfs::Error FromFat32(fat32::Error error);

class FsdServer {
 public:
  using Report = void (*)(fat32::Error error);

  FsdServer(fat32::BlockDevice& device, fat32::Clock& clock, uint8_t* buffer, uint64_t buffer_size,
            Report report)
      : device_(device),
        clock_(clock),
        buffer_(buffer),
        buffer_size_(buffer_size),
        report_(report) {}
  ~FsdServer();
  FsdServer(const FsdServer&) = delete;
  FsdServer& operator=(const FsdServer&) = delete;

  // Every op but kShutdown (main.cc replies and exits). w0 of the reply is a vfs::Error.
  uapi::IpcMessage Handle(const uapi::IpcMessage& request);

  bool mounted() const { return mounted_; }
  size_t open_handles() const;

 private:
  Result<void, vfs::Error> EnsureMounted();
  Result<void, vfs::Error> CopyPath(uint64_t offset, uint64_t length, char* out);
  Result<uint64_t, vfs::Error> Open(const char* path, uint64_t flags);
  Result<void, vfs::Error> CheckNotOpen(const char* path);
  Result<fat32::Node*, vfs::Error> OpenNode(uint64_t handle);
  uapi::IpcMessage Dispatch(const uapi::IpcMessage& request);

  fat32::BlockDevice& device_;
  fat32::Clock& clock_;
  uint8_t* buffer_;
  uint64_t buffer_size_;
  Report report_;

  bool mounted_ = false;
  bool mount_failed_ = false;
  vfs::Error mount_error_ = vfs::Error::kOk;
  alignas(fat32::FileSystem) uint8_t storage_[sizeof(fat32::FileSystem)];
  fat32::FileSystem* fs_ = nullptr;

  fat32::Node nodes_[kMaxHandles];
  bool used_[kMaxHandles] = {};
};

}  // namespace hiillos::fsd
