// services/vm/mapping_table.cc — the vm server's record of the mappings it made (mapping_table.h).
#include "services/vm/mapping_table.h"

namespace hiillos::vm {

bool MappingTable::Record(uint16_t slot, uint64_t vaddr, uint32_t map_handle, uint32_t frame) {
  for (size_t i = 0; i < kMaxFrames; ++i) {
    if (!records_[i].used) {
      records_[i] = Mapping{true, slot, vaddr, map_handle, frame};
      if (i + 1 > limit_) limit_ = i + 1;
      return true;
    }
  }
  return false;
}

size_t MappingTable::Take(uint16_t slot, uint64_t start, uint64_t end, Mapping* out, size_t max) {
  size_t taken = 0;
  for (size_t i = 0; i < limit_ && taken < max; ++i) {
    Mapping& mapping = records_[i];
    if (!mapping.used || mapping.slot != slot) continue;
    if (mapping.vaddr < start || mapping.vaddr >= end) continue;
    out[taken++] = mapping;
    mapping = Mapping{};
  }
  return taken;
}

size_t MappingTable::Count(uint16_t slot) const {
  size_t count = 0;
  for (size_t i = 0; i < limit_; ++i) {
    const Mapping& mapping = records_[i];
    count += mapping.used && (slot == kNoOwner || mapping.slot == slot);
  }
  return count;
}

}  // namespace hiillos::vm
