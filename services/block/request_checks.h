// services/block/request_checks.h — the block protocol's server side without IPC or a medium:
// every request's validation (docs/protocols/block.md) and the replies, shared by every block
// driver (services/ramdisk, services/virtio_blk). A driver supplies a SectorStore (the medium);
// serve_loop.h handles kAttachBuffer's capability, maps the frame and calls Attach.
#pragma once

#include <stdint.h>

#include "services/block/protocol.h"
#include "uapi/ipc.h"

namespace hiillos::block {

// The medium: called only with requests the checks accepted (count >= 1, the range inside the
// disk, `data` inside the attached buffer).
class SectorStore {
 public:
  virtual Error ReadSectors(uint64_t first, uint64_t count, uint8_t* data) = 0;
  virtual Error WriteSectors(uint64_t first, uint64_t count, const uint8_t* data) = 0;
  virtual Error Flush() = 0;

 protected:
  ~SectorStore() = default;
};

struct DiskGeometry {
  uint64_t sector_count = 0;
  uint64_t max_sectors_per_request = 0;
  uint64_t flags = 0;  // kFlagReadOnly, kFlagFlushSupported
};

class RequestChecks {
 public:
  RequestChecks(SectorStore& store, const DiskGeometry& geometry)
      : store_(store), geometry_(geometry) {}

  // The session's buffer after a kAttachBuffer (the caller mapped the frame); nullptr detaches.
  void Attach(uint8_t* buffer, uint64_t size) {
    buffer_ = buffer;
    buffer_size_ = buffer == nullptr ? 0 : size;
  }

  // Info, Read, Write and Flush; kAttachBuffer and unknown ops give kBadRequest (AttachBuffer
  // carries a capability: the caller's loop handles it). w0 of the reply is a block::Error.
  uapi::IpcMessage Handle(const uapi::IpcMessage& request);

  const DiskGeometry& geometry() const { return geometry_; }

 private:
  Error Transfer(const uapi::IpcMessage& request, bool write);

  SectorStore& store_;
  DiskGeometry geometry_;
  uint8_t* buffer_ = nullptr;
  uint64_t buffer_size_ = 0;
};

}  // namespace hiillos::block
