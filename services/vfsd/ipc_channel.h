// services/vfsd/ipc_channel.h — a Channel over a Sender (rt::Call), for the guest programs of the
// file-system stack; and where those programs find the IPC buffer their spawner set up
// (services/vfsd/spawn.h).
#pragma once

#include "services/lib/process_layout.h"
#include "services/lib/syscalls.h"
#include "services/vfsd/channel.h"
#include "uapi/ipc.h"

namespace hiillos::fs {

// The calling thread's IPC buffer: the page the loader maps and registers at
// rt::kIpcBufferAddress in every program it spawns, before the program runs
// (services/lib/loader.h). A root program (the guest tests) maps and registers a page there
// itself before it uses IPC with capabilities or extended words.
inline uapi::IpcBuffer* IpcBuffer() {
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
