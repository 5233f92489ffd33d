// services/ramdisk/ram_disk.h — the block protocol (services/block/protocol.h) served from a
// disk image in memory: the medium (a SectorStore of memcpy) under the shared request checks
// (services/block/request_checks.h), without IPC (main.cc is the loop, the host tests call
// Handle directly).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/block/protocol.h"
#include "services/block/request_checks.h"
#include "uapi/ipc.h"

namespace hiillos::ramdisk {

// At most this many sectors per Read or Write (64 KiB).
inline constexpr uint64_t kMaxSectorsPerRequest = 128;

class RamDisk final : public block::SectorStore {
 public:
  RamDisk(uint8_t* disk, uint64_t sector_count, bool read_only)
      : disk_(disk),
        checks_(*this, block::DiskGeometry{
                           sector_count, kMaxSectorsPerRequest,
                           (read_only ? block::kFlagReadOnly : 0) | block::kFlagFlushSupported}) {}

  // The session's buffer after a kAttachBuffer (main.cc mapped the frame); nullptr detaches.
  // Returns the attachment id reads and writes must carry in w4 (RequestChecks::Attach).
  uint64_t Attach(uint8_t* buffer, uint64_t size) { return checks_.Attach(buffer, size); }

  // Info, Read, Write and Flush (AttachBuffer carries a capability: main.cc handles it and calls
  // Attach). w0 of the reply is a block::Error.
  uapi::IpcMessage Handle(const uapi::IpcMessage& request) { return checks_.Handle(request); }

  uint64_t sector_count() const { return checks_.geometry().sector_count; }
  // For the server loop (services/block/serve_loop.h).
  block::RequestChecks& checks() { return checks_; }

  block::Error ReadSectors(uint64_t first, uint64_t count, uint8_t* data) override;
  block::Error WriteSectors(uint64_t first, uint64_t count, const uint8_t* data) override;
  // Memory is the medium: every write has reached it.
  block::Error Flush() override { return block::Error::kOk; }

 private:
  uint8_t* disk_;
  block::RequestChecks checks_;
};

}  // namespace hiillos::ramdisk
