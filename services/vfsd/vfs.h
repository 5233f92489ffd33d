// services/vfsd/vfs.h — vfsd's state and request handling (services/vfsd/protocol.h), without
// IPC: the mount table (lib/path), the open handles of every session and the forwarding of
// requests to each mount's file-system driver (services/fsd_fat32/protocol.h). main.cc is the
// IPC loop and starts drivers; host tests plug in drivers running in the same process.
//
// Paths are parsed and normalised with lib/path before a mount is chosen, so `.`, `..` and
// repeated slashes are resolved here and a driver only ever sees a path inside its mount.
// Positions are kept here; drivers get file offsets. A driver starts on the first request that
// needs its mount; one whose IPC fails, or that answers kDriverUnavailable (fsd.fat32 whose block
// driver went away), is stopped, its handles die (kDriverUnavailable, then kBadHandle) and the
// next request starts it again. A session holds at most vfs::kMaxOpenPerSession handles.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/path/mount_table.h"
#include "services/fsd_fat32/protocol.h"
#include "services/vfsd/channel.h"
#include "services/vfsd/fstab.h"
#include "services/vfsd/protocol.h"

namespace hiillos::vfsd {

inline constexpr size_t kMaxSessions = 8;
inline constexpr size_t kMaxOpen = 128;

// A running driver: how to call it and the buffer shared with it.
struct DriverPort {
  fs::Channel* channel;
  uint8_t* buffer;
  uint64_t buffer_size;
};

// Starts and stops file-system drivers (main.cc: spawns /sbin/fsd.fat32).
class DriverHost {
 public:
  // True when `device` names a block device this vfsd has and `type` a driver it can start.
  virtual bool Knows(const char* device, const char* type) = 0;
  // Starts the driver for mount `mount` (an index below path::kMaxMounts).
  virtual Result<DriverPort, vfs::Error> Start(uint32_t mount, const char* device,
                                               const char* type) = 0;
  // Ends it (after vfsd sent kShutdown, or after its IPC failed) and frees what Start made.
  virtual void Stop(uint32_t mount) = 0;
  // Kills the running driver (kKillDriver) without freeing anything: vfsd finds it dead on its
  // next call and Stops it then.
  virtual void Kill(uint32_t mount) = 0;

 protected:
  ~DriverHost() = default;
};

class Vfs {
 public:
  explicit Vfs(DriverHost& host) : host_(host) {}

  // Mounts every entry (logging is the caller's: `report` gets each failed entry and why).
  void MountAll(const Fstab& fstab,
                void (*report)(const FstabEntry& entry, vfs::Error error) = nullptr);

  // A session's buffer (main.cc mapped the frame it got with kAttachBuffer).
  void Attach(size_t session, uint8_t* buffer, uint64_t size);
  // Forgets a session's buffer and closes its handles (its client is gone; counted in kStats).
  void EndSession(size_t session);

  // Every op but kAttachBuffer. w0 of the reply is a vfs::Error. `session` < kMaxSessions.
  uapi::IpcMessage Handle(size_t session, const uapi::IpcMessage& request);

  // Mounts directly (kMount's work): point is an fs:// path.
  vfs::Error Mount(const char* point, size_t point_length, const char* device, const char* type);
  vfs::Error Unmount(const char* point, size_t point_length);

  // Stops every running driver (each writes back and exits): vfsd's own exit.
  void StopAll();

  bool running(uint32_t mount) const { return mounts_[mount].running; }
  size_t open_count() const;
  size_t open_count(size_t session) const;
  // File-system driver starts so far (a driver that died is started again on next use).
  uint64_t driver_starts() const { return driver_starts_; }

 private:
  struct MountInfo {
    bool used = false;
    bool running = false;
    char device[kMaxDeviceName + 1] = {};
    char type[kMaxTypeName + 1] = {};
    DriverPort port = {};
  };
  struct OpenFile {
    bool used = false;
    size_t session = 0;
    uint32_t mount = 0;
    uint64_t driver_handle = 0;
    uint64_t position = 0;
    uint64_t size = 0;
    bool directory = false;
  };
  struct Resolved {
    uint32_t mount;
    char inner[path::kMaxPathLength + 1];
    size_t inner_length;
  };

  Result<Resolved, vfs::Error> ResolveArgument(size_t session, uint64_t offset, uint64_t length);
  Result<DriverPort*, vfs::Error> Driver(uint32_t mount);
  // One driver call; an IPC failure stops the driver (kDriverUnavailable).
  Result<uapi::IpcMessage, vfs::Error> CallDriver(uint32_t mount, const uapi::IpcMessage& request);
  void DriverFailed(uint32_t mount);
  Result<OpenFile*, vfs::Error> Lookup(size_t session, uint64_t handle);
  // A path operation: kStat, kMkdir, kUnlink.
  uapi::IpcMessage PathOp(size_t session, fsd::Op op, const uint64_t* w);
  uapi::IpcMessage Open(size_t session, const uint64_t* w);
  uapi::IpcMessage Transfer(size_t session, bool write, const uint64_t* w);
  uapi::IpcMessage Seek(size_t session, const uint64_t* w);
  uapi::IpcMessage ReadDir(size_t session, const uint64_t* w);
  uapi::IpcMessage Rename(size_t session, const uint64_t* w);
  uapi::IpcMessage Close(size_t session, const uint64_t* w);
  uapi::IpcMessage MountOp(size_t session, const uint64_t* w);
  uapi::IpcMessage UnmountOp(size_t session, const uint64_t* w);
  uapi::IpcMessage KillDriverOp(size_t session, const uint64_t* w);

  DriverHost& host_;
  path::MountTable table_;
  MountInfo mounts_[path::kMaxMounts];
  OpenFile open_[kMaxOpen];
  uint8_t* buffers_[kMaxSessions] = {};
  uint64_t buffer_sizes_[kMaxSessions] = {};
  uint64_t driver_starts_ = 0;
  uint64_t sessions_ended_ = 0;
};

}  // namespace hiillos::vfsd
