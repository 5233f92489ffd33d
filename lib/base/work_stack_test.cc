// lib/base/work_stack_test.cc — host tests of WorkStack::RunOrDefer: nested work is queued and
// run by the outermost call, in constant nesting depth, and nothing is left behind.
#include "lib/base/work_stack.h"

#include <gtest/gtest.h>

#include <vector>

namespace hiillos {
namespace {

// A work item that, when run, starts `children` more items through the same stack.
struct Item {
  WorkLink link;  // first member: the item is found back from its link
  int id = 0;
  std::vector<Item*> children;
};

struct Runner {
  WorkStack stack;
  int depth = 0;
  int max_depth = 0;
  std::vector<int> order;

  void Start(Item* item) {
    stack.RunOrDefer(&item->link, [this](WorkLink* link) { Run(reinterpret_cast<Item*>(link)); });
  }
  void Run(Item* item) {
    ++depth;
    if (depth > max_depth) max_depth = depth;
    order.push_back(item->id);
    EXPECT_TRUE(stack.running());
    for (Item* child : item->children) Start(child);  // nested: only queued
    --depth;
  }
};

TEST(WorkStackTest, AnIdleStackRunsTheItemAtOnce) {
  Runner runner;
  Item item;
  item.id = 7;
  runner.Start(&item);
  EXPECT_EQ(runner.order, std::vector<int>{7});
  EXPECT_FALSE(runner.stack.running());
  EXPECT_TRUE(runner.stack.empty());
}

TEST(WorkStackTest, NestedWorkRunsAfterTheCurrentItemAndNeverNests) {
  // A chain: item i starts item i + 1.
  constexpr int kLength = 100000;
  std::vector<Item> items(kLength);
  for (int i = 0; i < kLength; ++i) {
    items[i].id = i;
    if (i + 1 < kLength) items[i].children.push_back(&items[i + 1]);
  }
  Runner runner;
  runner.Start(&items[0]);
  ASSERT_EQ(runner.order.size(), static_cast<size_t>(kLength));
  for (int i = 0; i < kLength; ++i) EXPECT_EQ(runner.order[i], i);
  EXPECT_EQ(runner.max_depth, 1);
  EXPECT_FALSE(runner.stack.running());
  EXPECT_TRUE(runner.stack.empty());
}

TEST(WorkStackTest, ATreeRunsEveryItemExactlyOnce) {
  // A complete binary tree of 2^12 - 1 items.
  constexpr int kCount = (1 << 12) - 1;
  std::vector<Item> items(kCount);
  for (int i = 0; i < kCount; ++i) {
    items[i].id = i;
    for (int c = 2 * i + 1; c <= 2 * i + 2 && c < kCount; ++c)
      items[i].children.push_back(&items[c]);
  }
  Runner runner;
  runner.Start(&items[0]);
  std::vector<int> seen(kCount, 0);
  for (int id : runner.order) ++seen[id];
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(seen[i], 1) << i;
  EXPECT_EQ(runner.max_depth, 1);
  // A parent always runs before its children.
  std::vector<int> position(kCount);
  for (int p = 0; p < kCount; ++p) position[runner.order[p]] = p;
  for (int i = 1; i < kCount; ++i) EXPECT_LT(position[(i - 1) / 2], position[i]);
}

TEST(WorkStackTest, TheStackIsReusableAfterEachOutermostCall) {
  Runner runner;
  Item a, b, c;
  a.id = 1;
  b.id = 2;
  c.id = 3;
  a.children = {&b};
  runner.Start(&a);
  runner.Start(&c);
  EXPECT_EQ(runner.order, (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(runner.stack.empty());
}

}  // namespace
}  // namespace hiillos
