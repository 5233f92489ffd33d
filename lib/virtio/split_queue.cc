// lib/virtio/split_queue.cc — the driver side of a split virtqueue (VIRTIO 1.1 §2.6, §2.6.13).
#include "lib/virtio/split_queue.h"

#include "lib/base/checked.h"
#include "lib/virtio/shared_access.h"

namespace hiillos::virtio {

Result<void, Error> SplitQueue::Initialize(uint16_t size, const SplitQueueMemory& memory,
                                           bool event_idx) {
  broken_ = true;
  has_deferred_error_ = false;
  if (size == 0 || size > kMaxQueueSize || !IsPowerOfTwo(size)) return Err(Error::kBadQueueSize);
  const auto desc_ptr = reinterpret_cast<uintptr_t>(memory.descriptors);
  const auto avail_ptr = reinterpret_cast<uintptr_t>(memory.available);
  const auto used_ptr = reinterpret_cast<uintptr_t>(memory.used);
  if (desc_ptr == 0 || avail_ptr == 0 || used_ptr == 0 || !IsAligned(desc_ptr, kDescTableAlign) ||
      !IsAligned(avail_ptr, kAvailRingAlign) || !IsAligned(used_ptr, kUsedRingAlign) ||
      !IsAligned(memory.descriptors_address, kDescTableAlign) ||
      !IsAligned(memory.available_address, kAvailRingAlign) ||
      !IsAligned(memory.used_address, kUsedRingAlign)) {
    return Err(Error::kMisalignedRing);
  }
  size_ = size;
  descriptors_ = static_cast<VirtqDesc*>(memory.descriptors);
  available_ = memory.available;
  used_ = memory.used;
  event_idx_ = event_idx;
  __builtin_memset(descriptors_, 0, DescTableBytes(size));
  __builtin_memset(available_, 0, AvailRingBytes(size));
  __builtin_memset(used_, 0, UsedRingBytes(size));
  for (uint16_t i = 0; i < size; ++i) {
    next_[i] = static_cast<uint16_t>(i + 1);
    chain_length_[i] = 0;
    writable_bytes_[i] = 0;
    cookie_[i] = 0;
  }
  free_head_ = 0;
  free_count_ = size;
  chains_in_flight_ = 0;
  avail_idx_ = kicked_idx_ = last_used_ = 0;
  broken_ = false;
  return Ok<Error>();
}

Result<uint16_t, Error> SplitQueue::AddChain(const ChainBuffer* buffers, uint16_t count,
                                             uint64_t cookie) {
  if (broken_) return Err(Error::kQueueBroken);
  if (count == 0 || count > size_) return Err(Error::kBadChain);
  uint64_t writable = 0;
  for (uint16_t i = 0; i < count; ++i) {
    if (buffers[i].length == 0) return Err(Error::kBadChain);
    if (buffers[i].device_writable) writable += buffers[i].length;
  }
  if (count > free_count_) return Err(Error::kQueueFull);

  // The first `count` free descriptors become the chain; next_ already links them in order.
  const uint16_t head = free_head_;
  uint16_t id = head;
  for (uint16_t i = 0; i < count; ++i) {
    const bool last = i + 1 == count;
    VirtqDesc& desc = descriptors_[id];
    desc.addr = buffers[i].address;
    desc.len = buffers[i].length;
    desc.flags = static_cast<uint16_t>((last ? 0 : kDescFlagNext) |
                                       (buffers[i].device_writable ? kDescFlagWrite : 0));
    desc.next = last ? 0 : next_[id];
    if (!last) id = next_[id];
  }
  free_head_ = next_[id];  // may equal size_ when the list is now empty
  free_count_ = static_cast<uint16_t>(free_count_ - count);
  chain_length_[head] = count;
  writable_bytes_[head] = writable;
  cookie_[head] = cookie;
  ++chains_in_flight_;

  // §2.6.13.2-3: ring entry, then a release barrier, then the idx the device reads.
  StoreRelaxed(&AvailRingEntries(available_)[avail_idx_ & (size_ - 1)], head);
  avail_idx_ = static_cast<uint16_t>(avail_idx_ + 1);
  StoreSequential(&static_cast<VirtqAvailHeader*>(available_)->idx, avail_idx_);
  return head;
}

bool SplitQueue::ShouldNotify() {
  if (broken_) return false;
  // §2.6.13.6: a full barrier between publishing idx (sequentially consistent store above) and
  // reading the device's suppression field: both accesses are sequentially consistent.
  bool notify;
  if (event_idx_) {
    const uint16_t avail_event = LoadSequential(AvailEventField(used_, size_));
    notify = NeedEvent(avail_event, avail_idx_, kicked_idx_);
  } else {
    notify =
        (LoadSequential(&static_cast<VirtqUsedHeader*>(used_)->flags) & kUsedFlagNoNotify) == 0;
  }
  if (avail_idx_ == kicked_idx_) notify = false;  // nothing new since the last notification
  kicked_idx_ = avail_idx_;
  return notify;
}

void SplitQueue::FreeChain(uint16_t head) {
  uint16_t last = head;
  for (uint16_t i = 1; i < chain_length_[head]; ++i) last = next_[last];
  next_[last] = free_head_;
  free_head_ = head;
  free_count_ = static_cast<uint16_t>(free_count_ + chain_length_[head]);
  chain_length_[head] = 0;
  --chains_in_flight_;
}

Result<uint32_t, Error> SplitQueue::TakeUsed(UsedChain* out, uint32_t capacity) {
  if (broken_) {
    if (!has_deferred_error_) return Err(Error::kQueueBroken);
    has_deferred_error_ = false;
    return Err(deferred_error_);
  }
  // §2.6.13 (used buffers): read idx with acquire before the elements it covers.
  const uint16_t used_idx = LoadAcquire(&static_cast<VirtqUsedHeader*>(used_)->idx);
  const uint16_t pending = static_cast<uint16_t>(used_idx - last_used_);
  uint32_t taken = 0;
  Error failure = Error::kBadUsedIndex;
  if (pending > chains_in_flight_) {
    broken_ = true;
  } else {
    const VirtqUsedElem* ring = UsedRingEntries(used_);
    while (taken < capacity && last_used_ != used_idx) {
      const VirtqUsedElem* elem = &ring[last_used_ & (size_ - 1)];
      const uint32_t id = LoadRelaxed(&elem->id);  // each field read exactly once
      const uint32_t len = LoadRelaxed(&elem->len);
      if (id >= size_ || chain_length_[id] == 0) {
        broken_ = true;
        failure = Error::kBadUsedId;
        break;
      }
      const bool overrun = len > writable_bytes_[id];
      out[taken++] = UsedChain{cookie_[id], overrun ? 0 : len, overrun};
      FreeChain(static_cast<uint16_t>(id));
      last_used_ = static_cast<uint16_t>(last_used_ + 1);
    }
  }
  if (event_idx_ && !broken_) StoreRelease(UsedEventField(available_, size_), last_used_);
  if (broken_ && taken == 0) return Err(failure);
  if (broken_) {
    deferred_error_ = failure;  // reported by the next call, after the good completions
    has_deferred_error_ = true;
  }
  return taken;
}

bool SplitQueue::EnableInterrupts() {
  if (broken_) return true;  // let the caller see the error instead of sleeping
  if (event_idx_) {
    StoreSequential(UsedEventField(available_, size_), last_used_);
  } else {
    StoreSequential(&static_cast<VirtqAvailHeader*>(available_)->flags, uint16_t{0});
  }
  // Full barrier, then re-check: a completion that raced with the store above is seen here.
  return LoadSequential(&static_cast<VirtqUsedHeader*>(used_)->idx) != last_used_;
}

void SplitQueue::DisableInterrupts() {
  if (broken_ || event_idx_) return;  // with event idx, used_event simply stays behind
  StoreRelaxed(&static_cast<VirtqAvailHeader*>(available_)->flags, kAvailFlagNoInterrupt);
}

}  // namespace hiillos::virtio
