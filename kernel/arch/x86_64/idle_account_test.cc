// kernel/arch/x86_64/idle_account_test.cc — host tests of IdleAccount (idle_account.h): waits
// add up, an open wait counts up to the reader's clock, a second End or an End without Begin
// changes nothing, and a reader racing the writer only ever sees the total grow.
#include "kernel/arch/x86_64/idle_account.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace hiillos::arch {
namespace {

TEST(IdleAccountTest, StartsAtZero) {
  IdleAccount account;
  EXPECT_EQ(account.IdleAt(1000), 0u);
  EXPECT_FALSE(account.Waiting());
}

TEST(IdleAccountTest, ClosedWaitsAddUp) {
  IdleAccount account;
  account.Begin(100);
  EXPECT_TRUE(account.Waiting());
  account.End(150);
  EXPECT_FALSE(account.Waiting());
  account.Begin(400);
  account.End(1400);
  EXPECT_EQ(account.IdleAt(5000), 1050u);
}

TEST(IdleAccountTest, RunningTimeBetweenWaitsIsNotIdle) {
  IdleAccount account;
  account.Begin(0x1000);
  account.End(0x1100);
  // The CPU runs from 0x1100 on: the total stays put whatever the reader's clock says.
  EXPECT_EQ(account.IdleAt(0x1100), 0x100u);
  EXPECT_EQ(account.IdleAt(0x9000), 0x100u);
}

TEST(IdleAccountTest, OpenWaitCountsUpToTheReadersClock) {
  IdleAccount account;
  account.Begin(100);
  account.End(200);
  account.Begin(1000);
  EXPECT_EQ(account.IdleAt(1000), 100u);
  EXPECT_EQ(account.IdleAt(1600), 700u);
  // A reader whose clock is before the wait began sees only the closed waits.
  EXPECT_EQ(account.IdleAt(900), 100u);
  account.End(2000);
  EXPECT_EQ(account.IdleAt(3000), 1100u);
}

TEST(IdleAccountTest, EndWithoutBeginChangesNothing) {
  IdleAccount account;
  account.End(500);
  EXPECT_EQ(account.IdleAt(1000), 0u);
  account.Begin(600);
  account.End(700);
  account.End(900);  // the interrupt entry ended it already; the idle loop's End is a no-op
  EXPECT_EQ(account.IdleAt(1000), 100u);
}

TEST(IdleAccountTest, ClockGoingBackwardsAddsNothing) {
  IdleAccount account;
  account.Begin(500);
  account.End(400);
  EXPECT_EQ(account.IdleAt(1000), 0u);
}

TEST(IdleAccountTest, SecondBeginRestartsTheWait) {
  IdleAccount account;
  account.Begin(100);
  account.Begin(300);
  account.End(350);
  EXPECT_EQ(account.IdleAt(1000), 50u);
}

TEST(IdleAccountTest, WakeUpThatRanNothingIsAnEmptyWake) {
  IdleAccount account;
  account.Begin(100);
  account.End(200);    // a timer tick woke the CPU ...
  account.Begin(260);  // ... and it halted again without running a thread: 60 ticks
  EXPECT_EQ(account.EmptyWakes(), 60u);
  account.End(1000);
  account.WorkFound();  // this wake-up made a thread ready
  account.Begin(5000);  // back from the thread: not an empty wake-up
  EXPECT_EQ(account.EmptyWakes(), 60u);
  EXPECT_EQ(account.IdleAt(5000), 100u + 740u);
}

TEST(IdleAccountTest, OpenWakeUpIsNotCountedYet) {
  IdleAccount account;
  account.Begin(10);
  account.End(20);
  EXPECT_EQ(account.EmptyWakes(), 0u);
  account.Begin(30);
  EXPECT_EQ(account.EmptyWakes(), 10u);
}

TEST(IdleAccountTest, FirstHaltIsNoEmptyWake) {
  IdleAccount account;
  account.Begin(500);  // no wake-up before it
  EXPECT_EQ(account.EmptyWakes(), 0u);
}

// One writer (the owning CPU) alternating waits, one reader on another thread: every reading
// is consistent (never more than the clock allows) and never smaller than the one before.
TEST(IdleAccountTest, ConcurrentReaderSeesAMonotonicTotal) {
  IdleAccount account;
  std::atomic<uint64_t> clock{1};
  std::atomic<bool> done{false};
  constexpr uint64_t kWaits = 200000;
  std::thread writer([&] {
    for (uint64_t i = 0; i < kWaits; ++i) {
      account.Begin(clock.fetch_add(1) + 1);
      account.End(clock.fetch_add(2) + 2);
      clock.fetch_add(3);  // running between waits
    }
    done.store(true);
  });
  uint64_t last = 0;
  uint64_t readings = 0;
  bool monotonic = true;
  bool bounded = true;
  while (!done.load()) {
    const uint64_t now = clock.load();
    const uint64_t idle = account.IdleAt(now);
    monotonic = monotonic && idle >= last;
    // The clock after the reading bounds it (the reader may be late: `now` can be stale).
    bounded = bounded && idle <= clock.load();
    last = idle;
    ++readings;
  }
  writer.join();
  EXPECT_TRUE(monotonic);
  EXPECT_TRUE(bounded);
  EXPECT_GT(readings, 0u);
  // Each wait is the two ticks between its Begin and End stamps.
  EXPECT_EQ(account.IdleAt(clock.load()), 2 * kWaits);
}

}  // namespace
}  // namespace hiillos::arch
