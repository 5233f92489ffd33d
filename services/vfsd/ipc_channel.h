// services/vfsd/ipc_channel.h — a Channel over a Sender (rt::Call), for the guest programs of the
// file-system stack; and where those programs find the IPC buffer their spawner set up
// (services/vfsd/spawn.h).
#pragma once

#include "services/lib/syscalls.h"
#include "services/vfsd/channel.h"
#include "uapi/ipc.h"

namespace hiillos::fs {

// Spawners of the file-system stack (spawn.h) map one page here in the child and register it as
// the child's IPC buffer (capability transfer needs it; a child has no capability to its own
// thread to do it itself).
inline constexpr uint64_t kIpcBufferAddress = 0x0000'2800'0000'0000ull;

inline uapi::IpcBuffer* IpcBuffer() {
  return reinterpret_cast<uapi::IpcBuffer*>(kIpcBufferAddress);
}

class IpcChannel final : public Channel {
 public:
  explicit IpcChannel(uint32_t sender) : sender_(sender) {}
  Result<uapi::IpcMessage, uapi::Status> Call(const uapi::IpcMessage& request) override {
    return rt::Call(sender_, request);
  }

 private:
  uint32_t sender_;
};

}  // namespace hiillos::fs
