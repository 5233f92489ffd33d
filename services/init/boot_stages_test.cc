// services/init/boot_stages_test.cc — host tests for the boot-stage durations.
#include "services/init/boot_stages.h"

#include "gtest/gtest.h"

namespace hiillos::init {
namespace {

TEST(BootStages, RateFromTheKernelClock) {
  // 2 GHz: 2,000,000 ticks per ms; 1.5 s after the loader started.
  EXPECT_EQ(TicksPerMillisecond(1'000, 1'000 + 3'000'000'000ull, 1'500'000'000ull), 2'000'000u);
  EXPECT_EQ(TicksPerMillisecond(1'000, 1'000, 1'500'000'000ull), 0u);  // no ticks
  EXPECT_EQ(TicksPerMillisecond(1'000, 5'000, 999'999), 0u);           // under a millisecond
}

TEST(BootStages, DurationsPerStage) {
  const uint64_t per_ms = 2'000'000;
  BootTimestamps at;
  at.loader = 3'000 * per_ms;            // firmware: 3 s
  at.kernel = at.loader + 250 * per_ms;  // loader: 250 ms
  at.root = at.kernel + 1'200 * per_ms;  // kernel: 1.2 s
  at.proc = at.root + 3 * per_ms / 2;    // root: 1.5 ms
  at.init = at.proc + 2 * per_ms;        // proc: 2 ms
  at.ready = at.init + per_ms / 1000;    // init: 1 us
  at.started = at.ready + 40 * per_ms;   // programs: 40 ms
  BootStage stages[kBootStageCount];
  ASSERT_TRUE(ComputeBootStages(at, per_ms, stages));
  const char* names[] = {"firmware", "loader", "kernel", "root", "proc", "init", "programs"};
  const uint64_t micros[] = {3'000'000, 250'000, 1'200'000, 1'500, 2'000, 1, 40'000};
  for (size_t i = 0; i < kBootStageCount; ++i) {
    EXPECT_STREQ(stages[i].name, names[i]);
    EXPECT_EQ(stages[i].micros, micros[i]) << names[i];
    EXPECT_EQ(stages[i].ticks, micros[i] * (per_ms / 1000)) << names[i];
  }
}

TEST(BootStages, HugeValuesDoNotOverflow) {
  BootTimestamps at{~0ull / 2, ~0ull / 2, ~0ull / 2, ~0ull / 2, ~0ull / 2, ~0ull / 2, ~0ull};
  BootStage stages[kBootStageCount];
  ASSERT_TRUE(ComputeBootStages(at, 1, stages));
  EXPECT_EQ(stages[0].micros, ~0ull);  // saturated
  EXPECT_EQ(stages[1].micros, 0u);
  ASSERT_TRUE(ComputeBootStages(at, ~0ull / 4, stages));
  EXPECT_EQ(stages[0].micros, 2000u);  // (2^63 - 1) / (2^62 - 1) = 2 ms, remainder 1 tick
}

TEST(BootStages, ReadyIsKernelEntryToEveryServiceStarted) {
  BootTimestamps at{10, 20, 30, 40, 45, 50, 20 + 3 * 1000 + 500};
  BootStage ready{};
  ASSERT_TRUE(ComputeReady(at, 1000, &ready));  // 1000 ticks per ms
  EXPECT_STREQ(ready.name, "ready");
  EXPECT_EQ(ready.ticks, 3500u);
  EXPECT_EQ(ready.micros, 3500u);
  EXPECT_FALSE(ComputeReady(at, 0, &ready));
  at.started = 19;
  EXPECT_FALSE(ComputeReady(at, 1000, &ready));
}

TEST(BootStages, OutOfOrderOrNoRateIsRefused) {
  BootTimestamps at{10, 20, 15, 30, 35, 40, 50};
  BootStage stages[kBootStageCount] = {};
  EXPECT_FALSE(ComputeBootStages(at, 1, stages));
  EXPECT_EQ(stages[0].name, nullptr);
  BootTimestamps ordered{10, 20, 30, 40, 45, 50, 60};
  EXPECT_FALSE(ComputeBootStages(ordered, 0, stages));
}

}  // namespace
}  // namespace hiillos::init
