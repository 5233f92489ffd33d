// kernel/object/mapping_set_test.cc — MappingSet: order, exact lookup, overlap rejection, and
// the AVL tree's balance and links.
#include "kernel/object/mapping_set.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace hiillos::object {
namespace {

using uapi::Status;

MappingNode Node(uint64_t base, uint64_t size) {
  MappingNode node;
  node.base = base;
  node.size = size;
  return node;
}

std::vector<uint64_t> Bases(const MappingSet& set) {
  std::vector<uint64_t> bases;
  for (const MappingNode* n = set.first(); n != nullptr; n = MappingSet::Next(n))
    bases.push_back(n->base);
  return bases;
}

// Checks the AVL invariants of the subtree at `node` (parent links, stored heights, balance);
// returns its height, or -1 when something is wrong.
int32_t CheckSubtree(const MappingNode* node, const MappingNode* parent) {
  if (node == nullptr) return 0;
  if (node->parent != parent) return -1;
  int32_t left = CheckSubtree(node->left, node);
  int32_t right = CheckSubtree(node->right, node);
  if (left < 0 || right < 0) return -1;
  if (left - right > 1 || right - left > 1) return -1;
  int32_t height = 1 + (left > right ? left : right);
  return node->height == height ? height : -1;
}

bool Balanced(const MappingSet& set) {
  const MappingNode* root = set.first();
  while (root != nullptr && root->parent != nullptr) root = root->parent;
  return CheckSubtree(root, nullptr) == set.height();
}

TEST(MappingSetTest, KeepsNodesSortedAndFindsExactStarts) {
  MappingSet set;
  MappingNode c = Node(0x5000, 0x1000), a = Node(0x1000, 0x1000), b = Node(0x3000, 0x2000);
  ASSERT_TRUE(set.Insert(&c).ok());
  ASSERT_TRUE(set.Insert(&a).ok());
  ASSERT_TRUE(set.Insert(&b).ok());
  EXPECT_EQ(Bases(set), (std::vector<uint64_t>{0x1000, 0x3000, 0x5000}));
  EXPECT_EQ(set.count(), 3u);
  EXPECT_EQ(set.FindExact(0x3000), &b);
  EXPECT_EQ(set.FindExact(0x4000), nullptr);  // inside b, but not its start
  EXPECT_EQ(set.FindExact(0x0), nullptr);
  EXPECT_EQ(set.FindExact(0x9000), nullptr);
}

TEST(MappingSetTest, RejectsEveryKindOfOverlap) {
  MappingSet set;
  MappingNode a = Node(0x10000, 0x4000);
  ASSERT_TRUE(set.Insert(&a).ok());
  struct Case {
    uint64_t base, size;
  } overlapping[] = {
      {0x10000, 0x4000},   // identical
      {0x0f000, 0x2000},   // tail into a
      {0x13000, 0x2000},   // head into a's end
      {0x11000, 0x1000},   // inside
      {0x08000, 0x10000},  // covering
  };
  for (auto [base, size] : overlapping) {
    MappingNode n = Node(base, size);
    EXPECT_EQ(set.Insert(&n).error(), Status::kOverlap) << std::hex << base;
    EXPECT_TRUE(set.Overlaps(base, size));
  }
  // Touching ranges do not overlap.
  MappingNode below = Node(0xf000, 0x1000), above = Node(0x14000, 0x1000);
  EXPECT_FALSE(set.Overlaps(0xf000, 0x1000));
  EXPECT_TRUE(set.Insert(&below).ok());
  EXPECT_TRUE(set.Insert(&above).ok());
  EXPECT_EQ(set.count(), 3u);
}

TEST(MappingSetTest, RejectsEmptyAndOverflowingRanges) {
  MappingSet set;
  MappingNode empty = Node(0x1000, 0), wrap = Node(~0ull - 0xfff, 0x2000);
  EXPECT_EQ(set.Insert(&empty).error(), Status::kInvalidArgument);
  EXPECT_EQ(set.Insert(&wrap).error(), Status::kInvalidArgument);
  EXPECT_EQ(set.count(), 0u);
  // The very top is fine when it does not wrap.
  MappingNode top = Node(~0ull - 0xfff - 0x1000, 0x1000);
  EXPECT_TRUE(set.Insert(&top).ok());
}

TEST(MappingSetTest, RemoveAndPopFrontUnlink) {
  MappingSet set;
  MappingNode a = Node(0x1000, 0x1000), b = Node(0x2000, 0x1000), c = Node(0x3000, 0x1000);
  ASSERT_TRUE(set.Insert(&a).ok());
  ASSERT_TRUE(set.Insert(&b).ok());
  ASSERT_TRUE(set.Insert(&c).ok());
  set.Remove(&b);
  EXPECT_EQ(Bases(set), (std::vector<uint64_t>{0x1000, 0x3000}));
  EXPECT_EQ(b.parent, nullptr);
  EXPECT_EQ(b.left, nullptr);
  EXPECT_EQ(b.right, nullptr);
  EXPECT_TRUE(Balanced(set));
  // b's range is free again.
  EXPECT_FALSE(set.Overlaps(0x2000, 0x1000));
  set.Remove(&c);  // tail
  EXPECT_EQ(set.PopFront(), &a);
  EXPECT_EQ(set.PopFront(), nullptr);
  EXPECT_EQ(set.count(), 0u);
  EXPECT_EQ(set.first(), nullptr);
}

// Random inserts/removes against a brute-force model.
TEST(MappingSetTest, MatchesABruteForceModel) {
  std::mt19937_64 random(42);
  MappingSet set;
  std::vector<MappingNode> storage(200);
  std::vector<bool> in_set(storage.size(), false);
  for (int step = 0; step < 20000; ++step) {
    size_t i = random() % storage.size();
    if (in_set[i]) {
      set.Remove(&storage[i]);
      in_set[i] = false;
      continue;
    }
    uint64_t base = (random() % 256) * 0x1000;
    uint64_t size = (1 + random() % 8) * 0x1000;
    bool model_overlap = false;
    for (size_t j = 0; j < storage.size(); ++j) {
      if (in_set[j] && base < storage[j].base + storage[j].size && storage[j].base < base + size) {
        model_overlap = true;
      }
    }
    ASSERT_EQ(set.Overlaps(base, size), model_overlap);
    storage[i] = Node(base, size);
    auto inserted = set.Insert(&storage[i]);
    ASSERT_EQ(inserted.ok(), !model_overlap);
    in_set[i] = inserted.ok();
    size_t count = 0;
    uint64_t last_end = 0;
    for (const MappingNode* n = set.first(); n != nullptr; n = MappingSet::Next(n), ++count) {
      ASSERT_GE(n->base, last_end);
      last_end = n->base + n->size;
    }
    ASSERT_EQ(count, set.count());
    ASSERT_TRUE(Balanced(set));
  }
}

TEST(MappingSetTest, StaysLogarithmicForManyAscendingAndDescendingInserts) {
  constexpr size_t kCount = 1 << 16;
  std::vector<MappingNode> up(kCount), down(kCount);
  MappingSet set;
  for (size_t i = 0; i < kCount; ++i) {
    up[i] = Node(0x1'0000'0000 + i * 0x1000, 0x1000);
    ASSERT_TRUE(set.Insert(&up[i]).ok());
    down[i] = Node(0x1'0000'0000 - (i + 1) * 0x1000, 0x1000);
    ASSERT_TRUE(set.Insert(&down[i]).ok());
  }
  EXPECT_EQ(set.count(), 2 * kCount);
  // An AVL tree of n nodes is at most 1.44 log2(n + 2) high: 25 for 2^17 nodes.
  EXPECT_LE(set.height(), 25);
  EXPECT_TRUE(Balanced(set));
  EXPECT_EQ(set.FindExact(0x1'0000'0000 + 1234 * 0x1000), &up[1234]);
  EXPECT_TRUE(set.Overlaps(0x1'0000'0000 - 0x800, 0x1000));
  // Remove every other node, then pop the rest in order.
  for (size_t i = 0; i < kCount; i += 2) set.Remove(&up[i]);
  EXPECT_TRUE(Balanced(set));
  EXPECT_FALSE(set.Overlaps(0x1'0000'0000, 0x1000));
  uint64_t last = 0;
  size_t popped = 0;
  while (MappingNode* node = set.PopFront()) {
    EXPECT_GE(node->base, last);
    last = node->base;
    ++popped;
  }
  EXPECT_EQ(popped, kCount + kCount / 2);
  EXPECT_EQ(set.count(), 0u);
  EXPECT_EQ(set.height(), 0);
}

}  // namespace
}  // namespace hiillos::object
