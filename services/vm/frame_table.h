// services/vm/frame_table.h — FrameTable: every Frame the vm server has mapped for someone,
// with its reference count — the number of regions using a shared or segment frame, 1 for the
// page frame of a touched anonymous page — and, once the count drops to zero, a FIFO queue of
// frames the server must delete. A fixed-size table (no heap); owned by VmState.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "services/vm/region.h"

namespace hiillos::vm {

inline constexpr size_t kMaxFrames = 4096;
inline constexpr uint16_t kNoOwner = 0xffff;

struct FrameRecord {
  bool used;       // tracked: mapped somewhere, or released and waiting in the queue
  bool released;   // in the release queue
  uint32_t refs;   // regions (or the one anonymous page) using it
  uint16_t owner;  // anonymous page frames: the owning space's slot; kNoOwner otherwise
  uint64_t page;   // anonymous page frames: the page's address
  FrameId id;
  uint32_t next;  // release queue link
};

class FrameTable {
 public:
  static constexpr uint32_t kNone = 0xffff'ffff;

  FrameTable();

  // Tracks a new frame with one reference. Errors: kFrameTableFull.
  Result<uint32_t, VmError> Add(FrameId id, uint16_t owner, uint64_t page);
  void Ref(uint32_t index) { records_[index].refs++; }
  // Drops a reference; at zero the frame goes to the release queue.
  void Unref(uint32_t index);

  // The anonymous page frame of `owner` at `page`, or kNone.
  uint32_t FindPage(uint16_t owner, uint64_t page) const;
  // Releases up to `max` anonymous page frames of `owner` in [start, end); how many.
  size_t ReleasePages(uint16_t owner, uint64_t start, uint64_t end, size_t max);

  // Moves up to `capacity` released frames out of the table into `out`; how many.
  size_t TakeReleased(FrameId* out, size_t capacity);
  size_t released_count() const { return released_count_; }

  const FrameRecord& record(uint32_t index) const { return records_[index]; }
  size_t used_count() const { return used_count_; }
  // One past the highest record ever used: scans stop there (the free list hands out released
  // records again first, so this stays near the most frames tracked at once).
  uint32_t limit() const { return limit_; }

 private:
  FrameRecord records_[kMaxFrames];
  uint32_t free_head_ = kNone;  // unused records, linked through next
  uint32_t released_head_ = kNone;
  uint32_t released_tail_ = kNone;
  size_t released_count_ = 0;
  size_t used_count_ = 0;
  uint32_t limit_ = 0;
};

}  // namespace hiillos::vm
