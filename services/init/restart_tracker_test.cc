// services/init/restart_tracker_test.cc — restart decisions per policy, bounded restarts and
// back-off.
#include "services/init/restart_tracker.h"

#include <gtest/gtest.h>

namespace hiillos::init {
namespace {

ServiceConfig WithPolicy(RestartPolicy policy, uint32_t max_restarts, uint32_t backoff_ms) {
  ServiceConfig c;
  c.restart = policy;
  c.max_restarts = max_restarts;
  c.backoff_ms = backoff_ms;
  return c;
}

constexpr ExitInfo kClean{false, 0};
constexpr ExitInfo kFailed{false, 3};
constexpr ExitInfo kKilled{true, 0};

TEST(RestartTrackerTest, NeverRestartsWhateverTheExit) {
  RestartTracker t(WithPolicy(RestartPolicy::kNever, 5, 100));
  for (ExitInfo e : {kClean, kFailed, kKilled}) {
    RestartDecision d = t.OnExit(e);
    EXPECT_FALSE(d.restart);
    EXPECT_EQ(d.reason, RestartReason::kPolicyNever);
  }
  EXPECT_EQ(t.restarts(), 0u);
}

TEST(RestartTrackerTest, OnFailureRestartsFailuresAndKillsOnly) {
  RestartTracker t(WithPolicy(RestartPolicy::kOnFailure, 5, 100));
  EXPECT_EQ(t.OnExit(kClean).reason, RestartReason::kCleanExit);
  EXPECT_TRUE(t.OnExit(kFailed).restart);
  EXPECT_TRUE(t.OnExit(kKilled).restart);
  EXPECT_EQ(t.restarts(), 2u);
}

TEST(RestartTrackerTest, AlwaysRestartsCleanExitsToo) {
  RestartTracker t(WithPolicy(RestartPolicy::kAlways, 5, 100));
  RestartDecision d = t.OnExit(kClean);
  EXPECT_TRUE(d.restart);
  EXPECT_EQ(d.attempt, 1u);
}

TEST(RestartTrackerTest, BackOffDoublesUpToTheCapAndGivesUpAfterTheLimit) {
  RestartTracker t(WithPolicy(RestartPolicy::kAlways, 12, 100));
  const uint32_t expected[] = {100,  200,   400,   800,   1600,          3200,
                               6400, 12800, 25600, 51200, kMaxBackoffMs, kMaxBackoffMs};
  for (uint32_t i = 0; i < 12; ++i) {
    RestartDecision d = t.OnExit(kKilled);
    ASSERT_TRUE(d.restart);
    EXPECT_EQ(d.delay_ms, expected[i]) << "restart " << i + 1;
    EXPECT_EQ(d.attempt, i + 1);
  }
  RestartDecision d = t.OnExit(kKilled);
  EXPECT_FALSE(d.restart);
  EXPECT_EQ(d.reason, RestartReason::kGaveUp);
  EXPECT_STREQ(RestartReasonName(d.reason), "too many restarts");
}

TEST(RestartTrackerTest, HealthyRunResetsTheBackOffButNotTheBudget) {
  RestartTracker t(WithPolicy(RestartPolicy::kOnFailure, 3, 50));
  EXPECT_EQ(t.OnExit(kFailed).delay_ms, 50u);
  EXPECT_EQ(t.OnExit(kFailed).delay_ms, 100u);
  t.OnHealthy();
  EXPECT_EQ(t.OnExit(kFailed).delay_ms, 50u);
  EXPECT_FALSE(t.OnExit(kFailed).restart);
}

TEST(RestartTrackerTest, StayingReadyForHealthyMsResetsTheBackOff) {
  ServiceConfig c = WithPolicy(RestartPolicy::kAlways, 10, 100);
  c.healthy_ms = 1000;
  RestartTracker t(c);
  t.OnReady(0);
  EXPECT_EQ(t.HealthyAtMs(), 0u);  // nothing to reset before any restart
  EXPECT_FALSE(t.CheckHealthy(5000));
  EXPECT_EQ(t.OnExit(kKilled).delay_ms, 100u);
  EXPECT_EQ(t.HealthyAtMs(), 0u);  // the new instance is not ready yet
  t.OnReady(2000);
  EXPECT_EQ(t.OnExit(kKilled).delay_ms, 200u);  // died before it was healthy
  t.OnReady(3000);
  EXPECT_EQ(t.HealthyAtMs(), 4000u);
  EXPECT_FALSE(t.CheckHealthy(3999));
  EXPECT_TRUE(t.CheckHealthy(4000));
  EXPECT_FALSE(t.CheckHealthy(9000));  // once
  EXPECT_EQ(t.HealthyAtMs(), 0u);
  RestartDecision d = t.OnExit(kKilled);
  EXPECT_EQ(d.delay_ms, 100u);  // back to the first delay
  EXPECT_EQ(d.attempt, 3u);     // the budget still counts every restart
}

TEST(RestartTrackerTest, ZeroRestartsMeansGiveUpAtOnce) {
  RestartTracker t(WithPolicy(RestartPolicy::kAlways, 0, 100));
  EXPECT_EQ(t.OnExit(kKilled).reason, RestartReason::kGaveUp);
}

}  // namespace
}  // namespace hiillos::init
