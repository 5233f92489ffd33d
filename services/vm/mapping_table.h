// services/vm/mapping_table.h — MappingTable: the page-table mappings the vm server made in the
// spaces it holds (which frame capability is mapped where, in which space slot), so it can undo
// them on Free and on release. Fixed size (kMaxFrames records, no heap); host-tested. Taking a
// space's mappings is bounded per call, so releasing a large space spreads over many messages.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/vm/frame_table.h"

namespace hiillos::vm {

// `map_handle` (a frame capability) mapped at `vaddr` in the space of slot `slot`; `frame` is
// the FrameId VmState knows (the same handle for anonymous pages; the shared frame's capability
// for shared regions, whose mappings use clones: map_handle != frame).
struct Mapping {
  bool used = false;
  uint16_t slot = 0;
  uint64_t vaddr = 0;
  uint32_t map_handle = 0;
  uint32_t frame = 0;
};

class MappingTable {
 public:
  // Records a mapping; false when the table is full.
  bool Record(uint16_t slot, uint64_t vaddr, uint32_t map_handle, uint32_t frame);
  // Removes up to `max` mappings of `slot` with vaddr in [start, end) and copies them to `out`;
  // how many. Fewer than `max` means none is left in the range.
  size_t Take(uint16_t slot, uint64_t start, uint64_t end, Mapping* out, size_t max);
  // Mappings of `slot` (all slots: kNoOwner).
  size_t Count(uint16_t slot) const;

 private:
  Mapping records_[kMaxFrames];
  size_t limit_ = 0;  // one past the highest record ever used (Record takes the lowest free)
};

}  // namespace hiillos::vm
