// kernel/object/mapping_set.cc — MappingSet: sorted intrusive list with overlap checks.
#include "kernel/object/mapping_set.h"

#include "kernel/result/kresult.h"
#include "lib/base/checked.h"

namespace hiillos::object {
namespace {

// One past the last byte; the ranges in a set never overflow (Insert checks).
uint64_t EndOf(const MappingNode* node) {
  return node->base + node->size;
}

}  // namespace

MappingNode* MappingSet::FindExact(uint64_t base) const {
  for (MappingNode* node = head_; node != nullptr && node->base <= base; node = node->next) {
    if (node->base == base) return node;
  }
  return nullptr;
}

bool MappingSet::Overlaps(uint64_t base, uint64_t size) const {
  for (const MappingNode* node = head_; node != nullptr; node = node->next) {
    if (node->base >= base + size) return false;  // sorted: nothing later can overlap
    if (RangesOverlap(node->base, node->size, base, size)) return true;
  }
  return false;
}

KResult<void> MappingSet::Insert(MappingNode* node) {
  uint64_t end = 0;
  if (node->size == 0 || !CheckedAdd(node->base, node->size, &end)) {
    return Err(uapi::Status::kInvalidArgument);
  }
  // Find the last node starting below `node`; only it and its successor can overlap.
  MappingNode* before = nullptr;
  MappingNode* after = head_;
  while (after != nullptr && after->base < node->base) {
    before = after;
    after = after->next;
  }
  if (before != nullptr && EndOf(before) > node->base) return Err(uapi::Status::kOverlap);
  if (after != nullptr && after->base < end) return Err(uapi::Status::kOverlap);
  node->prev = before;
  node->next = after;
  if (before != nullptr) {
    before->next = node;
  } else {
    head_ = node;
  }
  if (after != nullptr) after->prev = node;
  ++count_;
  return Ok();
}

void MappingSet::Remove(MappingNode* node) {
  if (node->prev != nullptr) {
    node->prev->next = node->next;
  } else {
    head_ = node->next;
  }
  if (node->next != nullptr) node->next->prev = node->prev;
  node->prev = nullptr;
  node->next = nullptr;
  --count_;
}

MappingNode* MappingSet::PopFront() {
  MappingNode* node = head_;
  if (node != nullptr) Remove(node);
  return node;
}

}  // namespace hiillos::object
