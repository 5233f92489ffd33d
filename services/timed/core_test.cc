// services/timed/core_test.cc — SleeperQueue (deadline order, ties in arrival order, capacity)
// and TscClock (conversions both ways, rounding, saturation).
#include <gtest/gtest.h>

#include "services/timed/sleepers.h"
#include "services/timed/tsc_clock.h"

namespace hiillos::timed {
namespace {

TEST(SleeperQueue, PopsInDeadlineOrderAndOnlyWhenDue) {
  SleeperQueue queue;
  EXPECT_TRUE(queue.Insert(300, 3));
  EXPECT_TRUE(queue.Insert(100, 1));
  EXPECT_TRUE(queue.Insert(200, 2));
  EXPECT_EQ(queue.earliest(), 100u);
  Sleeper s;
  EXPECT_FALSE(queue.PopDue(99, &s));
  EXPECT_TRUE(queue.PopDue(250, &s));
  EXPECT_EQ(s.reply, 1u);
  EXPECT_TRUE(queue.PopDue(250, &s));
  EXPECT_EQ(s.reply, 2u);
  EXPECT_FALSE(queue.PopDue(250, &s));
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_TRUE(queue.PopDue(300, &s));
  EXPECT_EQ(s.reply, 3u);
  EXPECT_TRUE(queue.empty());
}

TEST(SleeperQueue, EqualDeadlinesKeepArrivalOrder) {
  SleeperQueue queue;
  for (uint32_t i = 1; i <= 5; ++i) EXPECT_TRUE(queue.Insert(50, i));
  EXPECT_TRUE(queue.Insert(10, 99));
  Sleeper s;
  ASSERT_TRUE(queue.PopDue(50, &s));
  EXPECT_EQ(s.reply, 99u);
  for (uint32_t i = 1; i <= 5; ++i) {
    ASSERT_TRUE(queue.PopDue(50, &s));
    EXPECT_EQ(s.reply, i);
  }
}

TEST(SleeperQueue, RefusesBeyondCapacity) {
  SleeperQueue queue;
  for (uint32_t i = 0; i < SleeperQueue::kCapacity; ++i) {
    EXPECT_TRUE(queue.Insert(1000 - i, i + 1));
  }
  EXPECT_TRUE(queue.full());
  EXPECT_FALSE(queue.Insert(1, 7777));
  Sleeper s;
  uint64_t last = 0;
  size_t popped = 0;
  while (queue.PopDue(~uint64_t{0}, &s)) {
    EXPECT_GE(s.deadline_ns, last);
    EXPECT_NE(s.reply, 7777u);
    last = s.deadline_ns;
    ++popped;
  }
  EXPECT_EQ(popped, SleeperQueue::kCapacity);
}

TEST(TscClock, ConvertsBothWays) {
  TscClock clock(3'000'000'000ull, 1'000'000, 500);  // 3 GHz; at TSC 1e6 the clock read 500 ns
  EXPECT_EQ(clock.NsAt(1'000'000), 500u);
  EXPECT_EQ(clock.NsAt(0), 500u);  // before the reading
  EXPECT_EQ(clock.NsAt(1'000'000 + 3'000'000'000ull), 500u + 1'000'000'000ull);
  EXPECT_EQ(clock.TscAt(500), 1'000'000u);
  EXPECT_EQ(clock.TscAt(100), 1'000'000u);
  for (uint64_t ns : {501ull, 777ull, 10'000'001ull, 123'456'789'012ull}) {
    uint64_t tsc = clock.TscAt(ns);
    EXPECT_GE(clock.NsAt(tsc), ns) << ns;
    EXPECT_LT(clock.NsAt(tsc - 1), ns) << ns;  // the first such TSC value
  }
}

TEST(TscClock, OddFrequencyRoundsUp) {
  TscClock clock(1'000'003, 0, 0);  // ~1 MHz: one tick is ~1000 ns
  for (uint64_t ns = 1; ns < 5000; ns += 7) {
    uint64_t tsc = clock.TscAt(ns);
    EXPECT_GE(clock.NsAt(tsc), ns) << ns;
    if (tsc > 0) EXPECT_LT(clock.NsAt(tsc - 1), ns) << ns;
  }
}

TEST(TscClock, SaturatesFarDeadlines) {
  TscClock clock(3'000'000'000ull, 5, 0);
  EXPECT_EQ(clock.TscAt(~uint64_t{0}), ~uint64_t{0});
}

}  // namespace
}  // namespace hiillos::timed
