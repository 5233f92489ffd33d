// kernel/sched/run_queue_test.cc — host tests of ThreadList and RunQueue (order, removal,
// priorities, search).
#include "kernel/sched/run_queue.h"

#include <gtest/gtest.h>

#include <vector>

namespace hiillos::sched {
namespace {

// Links standing in for threads; `thread` pointers are only compared, never dereferenced.
struct Links {
  ThreadLink link[8];
  Links() {
    for (int i = 0; i < 8; ++i) link[i].thread = reinterpret_cast<Thread*>(0x1000 + i);
  }
  int IndexOf(const ThreadLink* l) const { return static_cast<int>(l - link); }
};

TEST(ThreadListTest, FifoOrderAndRemovalFromAnyPosition) {
  Links links;
  ThreadList list;
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.PopFront(), nullptr);
  for (int i = 0; i < 4; ++i) list.PushBack(&links.link[i]);
  EXPECT_EQ(list.size(), 4u);
  EXPECT_EQ(links.link[2].owner, &list);
  list.Remove(&links.link[2]);  // middle
  list.Remove(&links.link[3]);  // tail
  list.Remove(&links.link[0]);  // head
  EXPECT_EQ(links.link[2].owner, nullptr);
  EXPECT_EQ(list.size(), 1u);
  EXPECT_EQ(list.front(), &links.link[1]);
  list.PushBack(&links.link[3]);
  EXPECT_EQ(list.PopFront(), &links.link[1]);
  EXPECT_EQ(list.PopFront(), &links.link[3]);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.size(), 0u);
}

TEST(RunQueueTest, HighestPriorityFirstAndRoundRobinWithinALevel) {
  Links links;
  RunQueue queue;
  EXPECT_EQ(queue.HighestPriority(), -1);
  EXPECT_EQ(queue.PopHighest(), nullptr);
  queue.Push(&links.link[0], 1);
  queue.Push(&links.link[1], 3);
  queue.Push(&links.link[2], 1);
  queue.Push(&links.link[3], 0);
  queue.Push(&links.link[4], 3);
  EXPECT_EQ(queue.count(), 5u);
  EXPECT_EQ(queue.HighestPriority(), 3);
  std::vector<int> order;
  while (ThreadLink* link = queue.PopHighest()) order.push_back(links.IndexOf(link));
  EXPECT_EQ(order, (std::vector<int>{1, 4, 0, 2, 3}));
  EXPECT_EQ(queue.count(), 0u);
}

TEST(RunQueueTest, RemoveAndContainsTrackMembership) {
  Links links;
  RunQueue queue;
  RunQueue other;
  queue.Push(&links.link[0], 2);
  queue.Push(&links.link[1], 2);
  other.Push(&links.link[2], 2);
  EXPECT_TRUE(queue.Contains(&links.link[0]));
  EXPECT_FALSE(queue.Contains(&links.link[2]));
  EXPECT_FALSE(queue.Contains(&links.link[5]));
  queue.Remove(&links.link[0]);
  EXPECT_FALSE(queue.Contains(&links.link[0]));
  EXPECT_EQ(queue.count(), 1u);
  EXPECT_EQ(queue.PopHighest(), &links.link[1]);
  EXPECT_EQ(other.count(), 1u);
}

TEST(RunQueueTest, FindFirstSearchesHighestLevelFirstWithoutRemoving) {
  Links links;
  RunQueue queue;
  queue.Push(&links.link[0], 0);
  queue.Push(&links.link[1], 2);
  queue.Push(&links.link[2], 2);
  auto not_one = [&](ThreadLink* link) { return link != &links.link[1]; };
  EXPECT_EQ(queue.FindFirst(not_one), &links.link[2]);
  auto none = [](ThreadLink*) { return false; };
  EXPECT_EQ(queue.FindFirst(none), nullptr);
  auto only_low = [&](ThreadLink* link) { return link == &links.link[0]; };
  EXPECT_EQ(queue.FindFirst(only_low), &links.link[0]);
  EXPECT_EQ(queue.count(), 3u);
}

// HighestPriority and PopHighest follow every Push, Remove and PopHighest: checked against a
// plain model (a FIFO per level) over a long pseudo-random sequence on every level.
TEST(RunQueueTest, HighestLevelTracksRemovalsAndPops) {
  constexpr int kLinks = 48;
  ThreadLink link[kLinks];
  for (int i = 0; i < kLinks; ++i) link[i].thread = reinterpret_cast<Thread*>(0x1000 + i);
  RunQueue queue;
  std::vector<int> model[kPriorityLevels];
  uint64_t state = 12345;
  auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % bound;
  };
  auto highest = [&model]() {
    for (int level = static_cast<int>(kPriorityLevels) - 1; level >= 0; --level) {
      if (!model[level].empty()) return level;
    }
    return -1;
  };
  for (int step = 0; step < 20000; ++step) {
    const int i = static_cast<int>(next(kLinks));
    const uint64_t op = next(3);
    if (link[i].owner == nullptr) {
      const unsigned level = static_cast<unsigned>(next(kPriorityLevels));
      queue.Push(&link[i], level);
      model[level].push_back(i);
    } else if (op == 0) {
      queue.Remove(&link[i]);
      for (auto& level : model) std::erase(level, i);
    } else if (op == 1) {
      const int top = highest();
      ASSERT_GE(top, 0);
      ThreadLink* popped = queue.PopHighest();
      ASSERT_EQ(popped, &link[model[top].front()]);
      model[top].erase(model[top].begin());
    }
    ASSERT_EQ(queue.HighestPriority(), highest());
  }
  while (queue.PopHighest() != nullptr) {
  }
  EXPECT_EQ(queue.HighestPriority(), -1);
  EXPECT_EQ(queue.count(), 0u);
}

}  // namespace
}  // namespace hiillos::sched
