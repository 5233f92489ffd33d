// services/block/request_checks.h — the block protocol's server side without IPC or a medium:
// every request's validation (docs/protocols/block.md) and the replies, shared by every block
// driver (services/ramdisk, services/virtio_blk). A driver supplies a SectorStore (the medium);
// serve_loop.h handles kAttachBuffer's capability, maps the frame and calls Attach, which names
// the attachment with an id that kRead and kWrite must carry (a replaced client's requests are
// refused instead of landing in its successor's buffer).
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
  // Returns the new attachment's id (kAttachBuffer's reply w2): never 0 and never one this
  // object handed out before, so a request naming an earlier attachment gets kNoBuffer. 0 when
  // detaching (then every transfer gets kNoBuffer).
  uint64_t Attach(uint8_t* buffer, uint64_t size) {
    buffer_ = buffer;
    buffer_size_ = buffer == nullptr ? 0 : size;
    if (buffer == nullptr) {
      attachment_ = 0;
    } else {
      if (next_attachment_ == 0) next_attachment_ = 1;  // wrapped: 0 means "none"
      attachment_ = next_attachment_++;
    }
    return attachment_;
  }

  // Where attachment ids start (default 1): a driver seeds it with a value above every id an
  // earlier instance of it handed out (serve_loop.cc uses the TSC), so a client of a dead
  // instance cannot name an attachment of its replacement either.
  void StartAttachmentIdsAt(uint64_t first) { next_attachment_ = first == 0 ? 1 : first; }

  // Info, Read, Write and Flush (Read and Write name the attachment in w4); kAttachBuffer and
  // unknown ops give kBadRequest (AttachBuffer carries a capability: the caller's loop handles it).
  // w0 of the reply is a block::Error.
  uapi::IpcMessage Handle(const uapi::IpcMessage& request);

  const DiskGeometry& geometry() const { return geometry_; }

 private:
  Error Transfer(const uapi::IpcMessage& request, bool write);

  SectorStore& store_;
  DiskGeometry geometry_;
  uint8_t* buffer_ = nullptr;
  uint64_t buffer_size_ = 0;
  uint64_t attachment_ = 0;       // the current attachment's id, 0 when none
  uint64_t next_attachment_ = 1;  // the id the next Attach hands out
};

}  // namespace hiillos::block
