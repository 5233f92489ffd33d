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

}  // namespace
}  // namespace hiillos::sched
