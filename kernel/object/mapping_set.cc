// kernel/object/mapping_set.cc — MappingSet: an intrusive AVL tree of disjoint ranges.
#include "kernel/object/mapping_set.h"

#include "kernel/result/kresult.h"
#include "lib/base/checked.h"

namespace hiillos::object {
namespace {

// One past the last byte; the ranges in a set never overflow (Insert checks).
uint64_t EndOf(const MappingNode* node) {
  return node->base + node->size;
}

int32_t HeightOf(const MappingNode* node) {
  return node == nullptr ? 0 : node->height;
}

void UpdateHeight(MappingNode* node) {
  int32_t left = HeightOf(node->left);
  int32_t right = HeightOf(node->right);
  node->height = 1 + (left > right ? left : right);
}

MappingNode* Lowest(MappingNode* node) {
  while (node != nullptr && node->left != nullptr) node = node->left;
  return node;
}

}  // namespace

MappingNode* MappingSet::FindExact(uint64_t base) const {
  MappingNode* node = root_;
  while (node != nullptr && node->base != base) node = base < node->base ? node->left : node->right;
  return node;
}

MappingNode* MappingSet::LastStartingBelow(uint64_t end) const {
  MappingNode* best = nullptr;
  MappingNode* node = root_;
  while (node != nullptr) {
    if (node->base < end) {
      best = node;
      node = node->right;
    } else {
      node = node->left;
    }
  }
  return best;
}

bool MappingSet::Overlaps(uint64_t base, uint64_t size) const {
  // The ranges are disjoint, so of all nodes starting below the query's end, the one starting
  // last also ends last: the query overlaps something iff it overlaps that node.
  const MappingNode* candidate = LastStartingBelow(base + size);
  return candidate != nullptr && EndOf(candidate) > base;
}

KResult<void> MappingSet::Insert(MappingNode* node) {
  uint64_t end = 0;
  if (node->size == 0 || !CheckedAdd(node->base, node->size, &end)) {
    return Err(uapi::Status::kInvalidArgument);
  }
  if (Overlaps(node->base, node->size)) return Err(uapi::Status::kOverlap);
  node->left = nullptr;
  node->right = nullptr;
  node->height = 1;
  MappingNode* parent = nullptr;
  MappingNode** link = &root_;
  while (*link != nullptr) {
    parent = *link;
    link = node->base < parent->base ? &parent->left : &parent->right;
  }
  node->parent = parent;
  *link = node;
  ++count_;
  Rebalance(parent);
  return Ok();
}

void MappingSet::Remove(MappingNode* node) {
  MappingNode* rebalance_from;
  if (node->left != nullptr && node->right != nullptr) {
    // Two children: the in-order successor (leftmost of the right subtree) takes node's place.
    MappingNode* successor = Lowest(node->right);
    if (successor->parent == node) {
      rebalance_from = successor;
    } else {
      rebalance_from = successor->parent;
      // Detach the successor (it has no left child) and give it node's right subtree.
      ReplaceChild(successor->parent, successor, successor->right);
      successor->right = node->right;
      successor->right->parent = successor;
    }
    successor->left = node->left;
    successor->left->parent = successor;
    ReplaceChild(node->parent, node, successor);
    successor->height = node->height;
  } else {
    MappingNode* child = node->left != nullptr ? node->left : node->right;
    rebalance_from = node->parent;
    ReplaceChild(node->parent, node, child);
  }
  node->parent = nullptr;
  node->left = nullptr;
  node->right = nullptr;
  node->height = 0;
  --count_;
  Rebalance(rebalance_from);
}

MappingNode* MappingSet::PopFront() {
  MappingNode* node = Lowest(root_);
  if (node != nullptr) Remove(node);
  return node;
}

const MappingNode* MappingSet::first() const {
  return Lowest(root_);
}

const MappingNode* MappingSet::Next(const MappingNode* node) {
  if (node->right != nullptr) return Lowest(node->right);
  while (node->parent != nullptr && node->parent->right == node) node = node->parent;
  return node->parent;
}

int32_t MappingSet::height() const {
  return HeightOf(root_);
}

void MappingSet::ReplaceChild(MappingNode* parent, MappingNode* old_child, MappingNode* new_child) {
  if (parent == nullptr) {
    root_ = new_child;
  } else if (parent->left == old_child) {
    parent->left = new_child;
  } else {
    parent->right = new_child;
  }
  if (new_child != nullptr) new_child->parent = parent;
}

MappingNode* MappingSet::RotateLeft(MappingNode* node) {
  MappingNode* pivot = node->right;
  node->right = pivot->left;
  if (pivot->left != nullptr) pivot->left->parent = node;
  ReplaceChild(node->parent, node, pivot);
  pivot->left = node;
  node->parent = pivot;
  UpdateHeight(node);
  UpdateHeight(pivot);
  return pivot;
}

MappingNode* MappingSet::RotateRight(MappingNode* node) {
  MappingNode* pivot = node->left;
  node->left = pivot->right;
  if (pivot->right != nullptr) pivot->right->parent = node;
  ReplaceChild(node->parent, node, pivot);
  pivot->right = node;
  node->parent = pivot;
  UpdateHeight(node);
  UpdateHeight(pivot);
  return pivot;
}

// Walks from `node` to the root restoring |height(left) - height(right)| <= 1 and the heights.
void MappingSet::Rebalance(MappingNode* node) {
  while (node != nullptr) {
    UpdateHeight(node);
    int32_t balance = HeightOf(node->left) - HeightOf(node->right);
    if (balance > 1) {
      if (HeightOf(node->left->left) < HeightOf(node->left->right)) RotateLeft(node->left);
      node = RotateRight(node);
    } else if (balance < -1) {
      if (HeightOf(node->right->right) < HeightOf(node->right->left)) RotateRight(node->right);
      node = RotateLeft(node);
    }
    node = node->parent;
  }
}

}  // namespace hiillos::object
