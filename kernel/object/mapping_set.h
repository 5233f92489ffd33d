// kernel/object/mapping_set.h — MappingSet: the non-overlapping, address-sorted set of a Vmem's
// mappings, an intrusive AVL tree (no allocation): find, overlap check, insert and remove cost
// O(log n) in the number of mappings, so a Vmem with 10^5 mappings stays cheap to change and
// to tear down. Pure logic, host-tested.
//
// The caller owns the nodes and serialises access (the Vmem lock). A node is in at most one set.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/result/kresult.h"
#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::object {

// [base, base + size), size > 0 and base + size not overflowing (checked by Insert). The tree
// links belong to the set.
struct MappingNode {
  uint64_t base = 0;
  uint64_t size = 0;
  MappingNode* parent = nullptr;
  MappingNode* left = nullptr;
  MappingNode* right = nullptr;
  int32_t height = 0;  // of the subtree rooted here (a leaf is 1); 0 while in no set
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
  // In-order walk: the lowest node (nullptr when empty) and the next higher one.
  const MappingNode* first() const;
  static const MappingNode* Next(const MappingNode* node);
  // The tree's height (0 when empty): at most ~1.44 log2(count + 2) (tests check balance).
  int32_t height() const;

 private:
  // The node with the greatest base below `end`, or nullptr.
  MappingNode* LastStartingBelow(uint64_t end) const;
  void Rebalance(MappingNode* from);
  MappingNode* RotateLeft(MappingNode* node);
  MappingNode* RotateRight(MappingNode* node);
  void ReplaceChild(MappingNode* parent, MappingNode* old_child, MappingNode* new_child);

  MappingNode* root_ = nullptr;
  size_t count_ = 0;
};

}  // namespace hiillos::object
