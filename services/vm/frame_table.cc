// services/vm/frame_table.cc — frame reference counts and the release queue.
#include "services/vm/frame_table.h"

namespace hiillos::vm {

FrameTable::FrameTable() {
  for (uint32_t i = 0; i < kMaxFrames; ++i) {
    records_[i] = FrameRecord{};
    records_[i].next = i + 1 < kMaxFrames ? i + 1 : kNone;
  }
  free_head_ = 0;
}

Result<uint32_t, VmError> FrameTable::Add(FrameId id, uint16_t owner, uint64_t page) {
  if (free_head_ == kNone) return Err(VmError::kFrameTableFull);
  const uint32_t index = free_head_;
  free_head_ = records_[index].next;
  records_[index] = FrameRecord{true, false, 1, owner, page, id, kNone};
  if (index + 1 > limit_) limit_ = index + 1;
  ++used_count_;
  return index;
}

void FrameTable::Unref(uint32_t index) {
  FrameRecord& record = records_[index];
  if (--record.refs != 0) return;
  record.released = true;
  record.owner = kNoOwner;
  record.next = kNone;
  if (released_tail_ == kNone) {
    released_head_ = index;
  } else {
    records_[released_tail_].next = index;
  }
  released_tail_ = index;
  ++released_count_;
}

uint32_t FrameTable::FindPage(uint16_t owner, uint64_t page) const {
  for (uint32_t i = 0; i < limit_; ++i) {
    const FrameRecord& r = records_[i];
    if (r.used && !r.released && r.owner == owner && r.page == page) return i;
  }
  return kNone;
}

size_t FrameTable::ReleasePages(uint16_t owner, uint64_t start, uint64_t end, size_t max) {
  size_t released = 0;
  for (uint32_t i = 0; i < limit_ && released < max; ++i) {
    const FrameRecord& r = records_[i];
    if (r.used && !r.released && r.owner == owner && r.page >= start && r.page < end) {
      Unref(i);
      ++released;
    }
  }
  return released;
}

size_t FrameTable::TakeReleased(FrameId* out, size_t capacity) {
  size_t taken = 0;
  while (taken < capacity && released_head_ != kNone) {
    const uint32_t index = released_head_;
    FrameRecord& record = records_[index];
    released_head_ = record.next;
    if (released_head_ == kNone) released_tail_ = kNone;
    out[taken++] = record.id;
    record = FrameRecord{};
    record.next = free_head_;
    free_head_ = index;
    --released_count_;
    --used_count_;
  }
  return taken;
}

}  // namespace hiillos::vm
