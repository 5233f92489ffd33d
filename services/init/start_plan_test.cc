// services/init/start_plan_test.cc — start by readiness in dependency order, skips after a failed
// need, settling, and stop order for shutdown.
#include "services/init/start_plan.h"

#include <gtest/gtest.h>

#include <string>

namespace hiillos::init {
namespace {

// The normal boot's dependency shape (initfs/etc/init.conf).
constexpr char kBoot[] = R"(
[rngd]
exec = /rngd
[timed]
exec = /timed
[pcid]
exec = /pcid
[virtio-blk]
exec = /virtio-blk
needs = pcid
[vfsd]
exec = /vfsd
needs = timed virtio-blk
[fscat]
exec = /fscat
needs = vfsd
)";

class StartPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ParseConfig(kBoot, sizeof(kBoot) - 1, config_).ok());
    for (Progress& p : progress_) p = Progress::kWaiting;
  }
  size_t Index(const char* name) {
    return static_cast<size_t>(config_.Find(name, std::string(name).size()));
  }
  // Starts every service NextStartStep offers now; returns their names in order.
  std::string StartAll() {
    std::string started;
    for (StartStep step = NextStartStep(config_, progress_); step.kind == StartStep::kStart;
         step = NextStartStep(config_, progress_)) {
      progress_[step.service] = Progress::kStarting;
      started += std::string(config_.services[step.service].name.text) + " ";
    }
    return started;
  }
  Config config_;
  Progress progress_[kMaxServices];
};

TEST_F(StartPlanTest, DependantsStartOnlyAfterTheirNeedsAreReady) {
  EXPECT_EQ(StartAll(), "rngd timed pcid ");
  EXPECT_FALSE(StartSettled(config_, progress_));
  progress_[Index("timed")] = Progress::kReady;
  EXPECT_EQ(StartAll(), "");  // vfsd also needs virtio-blk
  progress_[Index("pcid")] = Progress::kReady;
  EXPECT_EQ(StartAll(), "virtio-blk ");
  progress_[Index("virtio-blk")] = Progress::kReady;
  EXPECT_EQ(StartAll(), "vfsd ");
  progress_[Index("vfsd")] = Progress::kReady;
  EXPECT_EQ(StartAll(), "fscat ");
  for (const char* name : {"rngd", "fscat"}) progress_[Index(name)] = Progress::kReady;
  EXPECT_TRUE(StartSettled(config_, progress_));
  EXPECT_EQ(NextStartStep(config_, progress_).kind, StartStep::kNone);
}

TEST_F(StartPlanTest, AFailedNeedSkipsItsDependantsTransitively) {
  EXPECT_EQ(StartAll(), "rngd timed pcid ");
  progress_[Index("pcid")] = Progress::kFailed;
  StartStep step = NextStartStep(config_, progress_);
  ASSERT_EQ(step.kind, StartStep::kSkip);
  EXPECT_EQ(step.service, Index("virtio-blk"));
  EXPECT_EQ(step.blocker, Index("pcid"));
  progress_[step.service] = Progress::kFailed;
  progress_[Index("timed")] = Progress::kReady;
  step = NextStartStep(config_, progress_);
  ASSERT_EQ(step.kind, StartStep::kSkip);
  EXPECT_EQ(step.service, Index("vfsd"));
  EXPECT_EQ(step.blocker, Index("virtio-blk"));
  progress_[step.service] = Progress::kFailed;
  step = NextStartStep(config_, progress_);
  ASSERT_EQ(step.kind, StartStep::kSkip);
  EXPECT_EQ(step.service, Index("fscat"));
  progress_[step.service] = Progress::kFailed;
  EXPECT_FALSE(StartSettled(config_, progress_));  // rngd is still starting
  progress_[Index("rngd")] = Progress::kReady;
  EXPECT_TRUE(StartSettled(config_, progress_));
}

TEST_F(StartPlanTest, ShutdownStopsDependantsFirst) {
  bool running[kMaxServices] = {};
  for (size_t i = 0; i < config_.count; ++i) running[i] = true;
  EXPECT_FALSE(MayStop(config_, Index("vfsd"), running));  // fscat needs it
  EXPECT_FALSE(MayStop(config_, Index("pcid"), running));
  EXPECT_TRUE(MayStop(config_, Index("fscat"), running));
  EXPECT_TRUE(MayStop(config_, Index("rngd"), running));
  running[Index("fscat")] = false;
  EXPECT_TRUE(MayStop(config_, Index("vfsd"), running));
  EXPECT_FALSE(MayStop(config_, Index("timed"), running));
  EXPECT_FALSE(MayStop(config_, Index("virtio-blk"), running));
  running[Index("vfsd")] = false;
  EXPECT_TRUE(MayStop(config_, Index("timed"), running));
  EXPECT_TRUE(MayStop(config_, Index("virtio-blk"), running));
  EXPECT_FALSE(MayStop(config_, Index("pcid"), running));
  running[Index("virtio-blk")] = false;
  EXPECT_TRUE(MayStop(config_, Index("pcid"), running));
}

}  // namespace
}  // namespace hiillos::init
