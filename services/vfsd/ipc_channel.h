// services/vfsd/ipc_channel.h — a Channel over a Sender (rt::Call), for the guest programs of the
// file-system stack; and where those programs find their IPC buffer.
#pragma once

#include "services/lib/process_layout.h"
#include "services/lib/syscalls.h"
#include "services/vfsd/channel.h"
#include "uapi/ipc.h"

namespace hiillos::fs {

// Test programs that run as root (testing/blkstack, testing/fs) map a page here in their own
// address space and register it as their IPC buffer (root gets none from a loader).
inline constexpr uint64_t kIpcBufferAddress = 0x0000'2800'0000'0000ull;

inline uapi::IpcBuffer* IpcBuffer() {
  return reinterpret_cast<uapi::IpcBuffer*>(kIpcBufferAddress);
}

// A program started with rt::Spawn (by proc for init, or by SpawnProgram): the IPC buffer the
// loader registered for its thread before it started (services/lib/process_layout.h).
inline uapi::IpcBuffer* ProgramIpcBuffer() {
  return reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress);
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
