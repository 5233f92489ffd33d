// kernel/sched/timer_wheel_test.cc — TimerWheel: timers fire at or after their tick, within
// the documented lateness, never twice, and cancelled ones never.
#include "kernel/sched/timer_wheel.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace hiillos::sched {
namespace {

// Advances once and returns the nodes that fired.
std::vector<TimerNode*> Tick(TimerWheel& wheel) {
  TimerList due;
  wheel.Advance(due);
  std::vector<TimerNode*> fired;
  while (TimerNode* node = due.PopFront()) fired.push_back(node);
  return fired;
}

TEST(TimerWheel, FiresExactlyAtItsTickOnTheFirstLevel) {
  TimerWheel wheel;
  TimerNode node;
  wheel.Add(&node, 5);
  for (int i = 1; i < 5; ++i) EXPECT_TRUE(Tick(wheel).empty()) << i;
  auto fired = Tick(wheel);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0], &node);
  EXPECT_EQ(node.owner, nullptr);
  for (int i = 0; i < 200; ++i) EXPECT_TRUE(Tick(wheel).empty());
}

TEST(TimerWheel, PastExpiryFiresAtTheNextTick) {
  TimerWheel wheel;
  for (int i = 0; i < 10; ++i) Tick(wheel);
  TimerNode node;
  wheel.Add(&node, 3);
  EXPECT_EQ(Tick(wheel).size(), 1u);
}

TEST(TimerWheel, CancelledTimerNeverFires) {
  TimerWheel wheel;
  TimerNode a, b;
  wheel.Add(&a, 100);
  wheel.Add(&b, 100);
  TimerWheel::Cancel(&a);
  EXPECT_EQ(a.owner, nullptr);
  TimerWheel::Cancel(&a);  // a second cancel does nothing
  int fired_b = 0;
  for (int i = 0; i < 300; ++i) {
    for (TimerNode* node : Tick(wheel)) {
      EXPECT_EQ(node, &b);
      ++fired_b;
    }
  }
  EXPECT_EQ(fired_b, 1);
}

TEST(TimerWheel, FarExpiryIsRefiledAndFiresOnTime) {
  TimerWheel wheel;
  TimerNode node;
  // Beyond the top level's reach (64 slots of 8^5 ticks).
  uint64_t expires = 3'000'000;
  wheel.Add(&node, expires);
  uint64_t fired_at = 0;
  for (uint64_t t = 1; t <= expires + expires / 8 + 64 && fired_at == 0; ++t) {
    if (!Tick(wheel).empty()) fired_at = wheel.now();
  }
  ASSERT_NE(fired_at, 0u);
  EXPECT_GE(fired_at, expires);
  EXPECT_LE(fired_at - expires, expires / 8 + 1);
}

TEST(TimerWheel, RandomTimersFireInTimeAndOnce) {
  std::mt19937_64 rng(12345);
  TimerWheel wheel;
  constexpr int kTimers = 2000;
  std::vector<TimerNode> nodes(kTimers);
  std::vector<uint64_t> expiry(kTimers), delay_of(kTimers), fired_at(kTimers, 0);
  std::vector<bool> cancelled(kTimers, false);
  uint64_t last = 0;
  for (int i = 0; i < kTimers; ++i) {
    // Add at varied current times with delays from 0 to ~100k ticks.
    if (i % 50 == 0) {
      for (int k = 0; k < 37; ++k) {
        for (TimerNode* n : Tick(wheel)) fired_at[n - nodes.data()] = wheel.now();
      }
    }
    uint64_t delay = 1 + rng() % (uint64_t{1} << (rng() % 17));
    expiry[i] = wheel.now() + delay;
    delay_of[i] = delay;
    wheel.Add(&nodes[i], expiry[i]);
    if (expiry[i] > last) last = expiry[i];
    if (rng() % 10 == 0) {
      TimerWheel::Cancel(&nodes[i]);
      cancelled[i] = true;
    }
  }
  while (wheel.now() < last + last / 8 + 2) {
    for (TimerNode* n : Tick(wheel)) {
      size_t i = n - nodes.data();
      EXPECT_EQ(fired_at[i], 0u) << "fired twice: " << i;
      fired_at[i] = wheel.now();
    }
  }
  for (int i = 0; i < kTimers; ++i) {
    if (cancelled[i]) {
      EXPECT_EQ(fired_at[i], 0u) << i;
      continue;
    }
    ASSERT_NE(fired_at[i], 0u) << i;
    EXPECT_GE(fired_at[i], expiry[i]) << i;
    // Lateness: below one granule of the level chosen; a level above the first is chosen only
    // for delays of at least 63 granules of the level below, so under 8/63 of the delay.
    uint64_t late = fired_at[i] - expiry[i];
    if (delay_of[i] < TimerWheel::kSlots) {
      EXPECT_EQ(late, 0u) << i;
    } else {
      EXPECT_LE(late * 63, delay_of[i] * 8) << i;
    }
  }
}

}  // namespace
}  // namespace hiillos::sched
