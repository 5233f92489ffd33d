// services/vfsd/channel.h — one request/reply exchange with a server, behind an interface: IPC
// in the guest (ipc_channel.h), a direct call into the server's logic in host tests. The file
// system stack's clients (fsd.fat32's block client, vfsd's driver ports, the vfs client) talk
// through it, so the same code runs in both.
#pragma once

#include "lib/base/result.h"
#include "uapi/ipc.h"
#include "uapi/status.h"

namespace hiillos::fs {

class Channel {
 public:
  // Sends the register words of `request` and waits for the reply. An IPC failure (the server is
  // gone: Dead) is the Status.
  virtual Result<uapi::IpcMessage, uapi::Status> Call(const uapi::IpcMessage& request) = 0;

 protected:
  ~Channel() = default;
};

// A request with words w0..w5.
inline uapi::IpcMessage Request(uint64_t w0, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0,
                                uint64_t w4 = 0, uint64_t w5 = 0) {
  uapi::IpcMessage message;
  message.words[0] = w0;
  message.words[1] = w1;
  message.words[2] = w2;
  message.words[3] = w3;
  message.words[4] = w4;
  message.words[5] = w5;
  return message;
}

// True when [offset, offset + length) lies inside a buffer of `size` bytes (overflow-checked).
inline bool InBuffer(uint64_t offset, uint64_t length, uint64_t size) {
  return offset <= size && length <= size - offset;
}

}  // namespace hiillos::fs
