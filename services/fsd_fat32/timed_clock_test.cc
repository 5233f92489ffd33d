// services/fsd_fat32/timed_clock_test.cc — TimedClock: timed's wall clock when it answers, the
// fallback clock when it does not.
#include "services/fsd_fat32/timed_clock.h"

#include <gtest/gtest.h>

namespace hiillos::fsd {
namespace {

class FixedClock final : public fat32::Clock {
 public:
  uint64_t NowUnixSeconds() override { return 1767225600; }
  uint8_t NowCentiseconds() override { return 7; }
};

struct FakeTimed {
  bool up = true;
  uint64_t unix_ns = 0;
  int calls = 0;
};

bool Ask(void* context, uint64_t* unix_ns) {
  auto* timed = static_cast<FakeTimed*>(context);
  ++timed->calls;
  if (!timed->up) return false;
  *unix_ns = timed->unix_ns;
  return true;
}

TEST(TimedClockTest, UsesTimedsWallClock) {
  FixedClock fallback;
  FakeTimed timed{true, 1'704'067'200'123'456'789ull};  // 2024-01-01 00:00:00.123456789
  TimedClock clock(Ask, &timed, fallback);
  EXPECT_EQ(clock.NowUnixSeconds(), 1'704'067'200u);
  EXPECT_EQ(clock.NowCentiseconds(), 12);
  EXPECT_EQ(timed.calls, 1);  // hundredths come from the same answer
  timed.unix_ns += 2'990'000'000ull;
  EXPECT_EQ(clock.NowUnixSeconds(), 1'704'067'203u);
  EXPECT_EQ(clock.NowCentiseconds(), 11);
  EXPECT_FALSE(clock.fell_back());
}

TEST(TimedClockTest, FallsBackWhenTimedDoesNotAnswer) {
  FixedClock fallback;
  FakeTimed timed{false, 0};
  TimedClock clock(Ask, &timed, fallback);
  EXPECT_EQ(clock.NowUnixSeconds(), 1767225600u);
  EXPECT_EQ(clock.NowCentiseconds(), 7);
  EXPECT_TRUE(clock.fell_back());
  timed.up = true;  // timed is back: its time again
  timed.unix_ns = 1'704'067'200'000'000'000ull;
  EXPECT_EQ(clock.NowUnixSeconds(), 1'704'067'200u);
  EXPECT_EQ(clock.NowCentiseconds(), 0);
}

}  // namespace
}  // namespace hiillos::fsd
