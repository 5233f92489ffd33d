// services/vfsd/client.h — a typed client of the vfs protocol (services/vfsd/protocol.h) over a
// Channel and the session's shared buffer (attached by the caller: the capability transfer is
// the transport's business). Paths and data are copied through the buffer; reads and writes
// larger than it are split.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "services/vfsd/channel.h"
#include "services/vfsd/protocol.h"

namespace hiillos::vfs {

struct Opened {
  uint64_t handle;
  uint64_t size;
  bool directory;
};

struct Status {
  uint64_t size;
  bool directory;
  uint64_t modified;
};

inline constexpr size_t kMaxEntryName = 255;

struct Entry {
  char name[kMaxEntryName + 1];
  size_t name_length;
  uint64_t size;
  bool directory;
};

class Client {
 public:
  Client(fs::Channel& channel, uint8_t* buffer, uint64_t buffer_size)
      : channel_(channel), buffer_(buffer), buffer_size_(buffer_size) {}

  Result<Opened, Error> Open(const char* path, uint64_t flags = 0);
  Result<uint64_t, Error> Read(uint64_t handle, uint8_t* out, uint64_t length);
  Result<uint64_t, Error> Write(uint64_t handle, const uint8_t* data, uint64_t length);
  Result<uint64_t, Error> Seek(uint64_t handle, int64_t offset, uint64_t whence);
  Result<Status, Error> Stat(const char* path);
  // The next entry of an open directory; false at the end.
  Result<bool, Error> ReadDir(uint64_t handle, Entry* out);
  Result<void, Error> Mkdir(const char* path);
  Result<void, Error> Unlink(const char* path);
  Result<void, Error> Rename(const char* from, const char* to);
  Result<void, Error> Close(uint64_t handle);
  Result<void, Error> Mount(const char* point, const char* spec);
  Result<void, Error> Unmount(const char* point);

 private:
  // Puts `text` at buffer offset `at`; its length, or kBadPath when it does not fit.
  Result<uint64_t, Error> Put(const char* text, uint64_t at);
  Result<uapi::IpcMessage, Error> Call(const uapi::IpcMessage& request);
  Result<void, Error> PathCall(Op op, const char* path);

  fs::Channel& channel_;
  uint8_t* buffer_;
  uint64_t buffer_size_;
};

}  // namespace hiillos::vfs
