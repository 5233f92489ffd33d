// lib/ring/slot_copy.h — copying runs of slots into and out of a ring, split where the slot
// array wraps around.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/ring/region.h"

namespace hiillos::ring {

// Copies `count` slots from `source` into the ring starting at free-running index `first`.
// Precondition: count <= view.slot_count.
inline void CopyIntoSlots(const RingView& view, uint32_t first, const uint8_t* source,
                          uint32_t count) {
  const uint32_t start = first & (view.slot_count - 1);
  const uint32_t before_wrap = view.slot_count - start < count ? view.slot_count - start : count;
  const size_t size = view.slot_size;
  __builtin_memcpy(view.slots + start * size, source, before_wrap * size);
  __builtin_memcpy(view.slots, source + before_wrap * size, (count - before_wrap) * size);
}

// Copies `count` slots out of the ring starting at free-running index `first` into `target`.
// Precondition: count <= view.slot_count.
inline void CopyOutOfSlots(const RingView& view, uint32_t first, uint8_t* target, uint32_t count) {
  const uint32_t start = first & (view.slot_count - 1);
  const uint32_t before_wrap = view.slot_count - start < count ? view.slot_count - start : count;
  const size_t size = view.slot_size;
  __builtin_memcpy(target, view.slots + start * size, before_wrap * size);
  __builtin_memcpy(target + before_wrap * size, view.slots, (count - before_wrap) * size);
}

}  // namespace hiillos::ring
