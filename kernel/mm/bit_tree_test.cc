// kernel/mm/bit_tree_test.cc — host tests of the hierarchical bitmap against std::set.
#include "kernel/mm/bit_tree.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

namespace hiillos::mm {
namespace {

TEST(BitTreeTest, WordsFor) {
  EXPECT_EQ(BitTree::WordsFor(0), 0u);
  EXPECT_EQ(BitTree::WordsFor(1), 1u);
  EXPECT_EQ(BitTree::WordsFor(64), 1u);
  EXPECT_EQ(BitTree::WordsFor(65), 2u + 1u);
  EXPECT_EQ(BitTree::WordsFor(64 * 64), 64u + 1u);
  EXPECT_EQ(BitTree::WordsFor(64 * 64 + 1), 65u + 2u + 1u);
}

TEST(BitTreeTest, EmptyTreeFindsNothing) {
  BitTree tree;
  uint64_t out = 7;
  EXPECT_FALSE(tree.FindFirst(&out));
  tree.Init(nullptr, 0);
  EXPECT_FALSE(tree.FindFirst(&out));
  EXPECT_EQ(out, 7u);
}

TEST(BitTreeTest, InitClearsGarbage) {
  std::vector<uint64_t> words(BitTree::WordsFor(5000), ~0ull);
  BitTree tree;
  tree.Init(words.data(), 5000);
  uint64_t out = 0;
  EXPECT_FALSE(tree.FindFirst(&out));
  tree.Set(4999);
  ASSERT_TRUE(tree.FindFirst(&out));
  EXPECT_EQ(out, 4999u);
}

TEST(BitTreeTest, RandomOperationsMatchStdSet) {
  for (uint64_t bits : {1ull, 63ull, 64ull, 65ull, 4097ull, 300'000ull}) {
    std::vector<uint64_t> words(BitTree::WordsFor(bits) + 1, 0);
    words.back() = 0x5a5a5a5a5a5a5a5aull;  // guard word: must never be written
    BitTree tree;
    tree.Init(words.data(), bits);
    std::set<uint64_t> model;
    std::mt19937_64 rng(bits);
    for (int step = 0; step < 20000; ++step) {
      uint64_t i = rng() % bits;
      if (rng() % 2) {
        tree.Set(i);
        model.insert(i);
      } else {
        tree.Clear(i);
        model.erase(i);
      }
      ASSERT_EQ(tree.Test(i), model.count(i) == 1);
      uint64_t first = 0;
      bool found = tree.FindFirst(&first);
      ASSERT_EQ(found, !model.empty());
      if (found) ASSERT_EQ(first, *model.begin());
    }
    EXPECT_EQ(words.back(), 0x5a5a5a5a5a5a5a5aull);
  }
}

}  // namespace
}  // namespace hiillos::mm
