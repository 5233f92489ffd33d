// kernel/object/mapping_set.h — MappingSet: the non-overlapping, address-sorted set of a Vmem's
// mappings (intrusive nodes, no allocation). Pure logic, host-tested.
//
// The caller owns the nodes and serialises access (the Vmem lock). A node is in at most one set.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/result/kresult.h"
#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::object {

// [base, base + size), size > 0 and base + size not overflowing (checked by Insert).
struct MappingNode {
  uint64_t base = 0;
  uint64_t size = 0;
  MappingNode* prev = nullptr;
  MappingNode* next = nullptr;
};

class MappingSet {
 public:
  constexpr MappingSet() = default;
  MappingSet(const MappingSet&) = delete;
  MappingSet& operator=(const MappingSet&) = delete;

  // The node starting exactly at `base`, or nullptr.
  MappingNode* FindExact(uint64_t base) const;
  // True when [base, base + size) shares a byte with a node. Precondition: valid range.
  bool Overlaps(uint64_t base, uint64_t size) const;
  // Adds `node` in address order. Errors: kInvalidArgument (size 0 or range overflows),
  // kOverlap (shares a byte with a node already in the set). Unchanged on error.
  KResult<void> Insert(MappingNode* node);
  // Unlinks `node`, which must be in this set.
  void Remove(MappingNode* node);
  // Unlinks and returns the lowest node, or nullptr when empty (teardown).
  MappingNode* PopFront();

  size_t count() const { return count_; }
  const MappingNode* first() const { return head_; }

 private:
  MappingNode* head_ = nullptr;
  size_t count_ = 0;
};

}  // namespace hiillos::object
