// services/ramdisk/ram_disk.h — the block protocol (services/block/protocol.h) served from a
// disk image in memory: request validation and the copies, without IPC (main.cc is the loop,
// the host tests call Handle directly). The reference implementation of the protocol's checks.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/block/protocol.h"
#include "uapi/ipc.h"

namespace hiillos::ramdisk {

// At most this many sectors per Read or Write (64 KiB).
inline constexpr uint64_t kMaxSectorsPerRequest = 128;

class RamDisk {
 public:
  RamDisk(uint8_t* disk, uint64_t sector_count, bool read_only)
      : disk_(disk), sector_count_(sector_count), read_only_(read_only) {}

  // The session's buffer after a kAttachBuffer (main.cc mapped the frame); nullptr detaches.
  void Attach(uint8_t* buffer, uint64_t size) {
    buffer_ = buffer;
    buffer_size_ = buffer == nullptr ? 0 : size;
  }

  // Info, Read, Write and Flush (AttachBuffer carries a capability: main.cc handles it and calls
  // Attach). w0 of the reply is a block::Error.
  uapi::IpcMessage Handle(const uapi::IpcMessage& request);

  uint64_t sector_count() const { return sector_count_; }

 private:
  block::Error Transfer(const uapi::IpcMessage& request, bool write);

  uint8_t* disk_;
  uint64_t sector_count_;
  bool read_only_;
  uint8_t* buffer_ = nullptr;
  uint64_t buffer_size_ = 0;
};

}  // namespace hiillos::ramdisk
