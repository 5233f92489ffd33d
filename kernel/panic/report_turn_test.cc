// kernel/panic/report_turn_test.cc — the panic's report hand-off (report_turn.h): a CPU that
// parks reports when asked, one that never parks or stops making progress is given up on after
// its spin budget, and a slow report that keeps making progress is waited for.
#include "kernel/panic/report_turn.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace hiillos::panic {
namespace {

std::atomic<uint64_t> g_relax_calls;
void CountRelax() {
  g_relax_calls.fetch_add(1, std::memory_order_relaxed);
}
void YieldRelax() {
  std::this_thread::yield();
}

constexpr uint64_t kForever = ~0ull;

TEST(ReportTurn, CpuThatNeverParksIsNoAnswerAfterTheParkBudget) {
  ReportTurn turn{};
  g_relax_calls = 0;
  EXPECT_EQ(turn.AskAndWait(1000, kForever, CountRelax), ReportTurn::Outcome::kNoAnswer);
  EXPECT_EQ(g_relax_calls.load(), 1000u);
}

TEST(ReportTurn, ParkedCpuWithoutProgressIsStalledAfterTheStallBudget) {
  ReportTurn turn{};
  turn.Park();
  g_relax_calls = 0;
  EXPECT_EQ(turn.AskAndWait(kForever, 500, CountRelax), ReportTurn::Outcome::kStalled);
  EXPECT_EQ(g_relax_calls.load(), 500u);
  // It was asked: a late reporter still finds its request (it then reports or halts).
  Atomic<bool> over;
  EXPECT_TRUE(turn.WaitUntilAsked(over, CountRelax));
}

// A slow report: one chunk every 400 steps, 20 chunks (8000 steps in all), with a stall budget
// of 500 steps. The reporting CPU is simulated inside the waiter's relax step.
ReportTurn* g_slow_turn;
uint64_t g_slow_steps;
uint64_t g_slow_chunks;
void SlowReporterStep() {
  if (++g_slow_steps % 400 != 0) return;
  if (g_slow_chunks < 20) {
    ++g_slow_chunks;
    g_slow_turn->Progress();
  } else {
    g_slow_turn->Finish();
  }
}

TEST(ReportTurn, ReportThatKeepsMakingProgressIsWaitedFor) {
  ReportTurn turn{};
  turn.Park();
  g_slow_turn = &turn;
  g_slow_steps = 0;
  g_slow_chunks = 0;
  EXPECT_EQ(turn.AskAndWait(kForever, 500, SlowReporterStep), ReportTurn::Outcome::kReported);
  EXPECT_EQ(g_slow_chunks, 20u);
  EXPECT_GT(g_slow_steps, 500u);
}

TEST(ReportTurn, ParkedCpuHaltsWithoutReportingOnceTheReportsAreOver) {
  ReportTurn turn{};
  turn.Park();
  Atomic<bool> over;
  over.Store(true, MemoryOrder::kRelease);
  EXPECT_FALSE(turn.WaitUntilAsked(over, CountRelax));
}

// The real hand-off between two threads: the report is written only after the request and is
// complete (visible) when AskAndWait returns.
TEST(ReportTurn, ParkedCpuReportsOnlyWhenAskedAndTheWaiterSeesTheWholeReport) {
  ReportTurn turn{};
  Atomic<bool> over;
  std::atomic<bool> parked{false};
  std::atomic<int> written{0};
  std::thread reporter([&] {
    turn.Park();
    parked.store(true);
    if (!turn.WaitUntilAsked(over, YieldRelax)) return;
    for (int i = 0; i < 10; ++i) {
      written.fetch_add(1, std::memory_order_relaxed);
      turn.Progress();
    }
    turn.Finish();
  });
  while (!parked.load()) std::this_thread::yield();
  EXPECT_EQ(written.load(), 0);  // parked, not asked: nothing written
  EXPECT_EQ(turn.AskAndWait(kForever, kForever, YieldRelax), ReportTurn::Outcome::kReported);
  EXPECT_EQ(written.load(), 10);
  reporter.join();
}

}  // namespace
}  // namespace hiillos::panic
