// lib/base/atomic_test.cc — host tests of Atomic<T>: every operation's result and the value it
// leaves, and concurrent increments that must not be lost.
#include "lib/base/atomic.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace hiillos {
namespace {

TEST(Atomic, OperationsReturnThePreviousValue) {
  Atomic<uint32_t> value(5);
  EXPECT_EQ(value.Load(MemoryOrder::kRelaxed), 5u);
  value.Store(7, MemoryOrder::kRelease);
  EXPECT_EQ(value.Exchange(9, MemoryOrder::kAcqRel), 7u);
  EXPECT_EQ(value.FetchAdd(3, MemoryOrder::kRelaxed), 9u);
  EXPECT_EQ(value.FetchSub(2, MemoryOrder::kRelaxed), 12u);
  EXPECT_EQ(value.FetchOr(0x100, MemoryOrder::kRelaxed), 10u);
  EXPECT_EQ(value.FetchAnd(0xff, MemoryOrder::kRelaxed), 0x10au);
  EXPECT_EQ(value.Load(MemoryOrder::kAcquire), 0x0au);
}

TEST(Atomic, CompareExchangeReportsTheCurrentValueOnFailure) {
  Atomic<int32_t> value(-1);
  int32_t expected = 0;
  EXPECT_FALSE(value.CompareExchange(expected, 4, MemoryOrder::kAcqRel, MemoryOrder::kAcquire));
  EXPECT_EQ(expected, -1);
  EXPECT_TRUE(value.CompareExchange(expected, 4, MemoryOrder::kAcqRel, MemoryOrder::kAcquire));
  EXPECT_EQ(value.Load(MemoryOrder::kRelaxed), 4);
}

TEST(Atomic, HoldsBoolsAndPointers) {
  Atomic<bool> flag;
  EXPECT_FALSE(flag.Load(MemoryOrder::kRelaxed));
  EXPECT_FALSE(flag.Exchange(true, MemoryOrder::kAcquire));
  EXPECT_TRUE(flag.Load(MemoryOrder::kRelaxed));
  int target = 0;
  Atomic<int*> pointer;
  EXPECT_EQ(pointer.Exchange(&target, MemoryOrder::kAcqRel), nullptr);
  EXPECT_EQ(pointer.Load(MemoryOrder::kAcquire), &target);
}

enum class Phase : uint8_t { kIdle, kBusy, kDone };

TEST(Atomic, HoldsEnumsWithTheirLayout) {
  static_assert(sizeof(Atomic<Phase>) == sizeof(Phase));
  static_assert(alignof(Atomic<Phase>) == alignof(Phase));
  Atomic<Phase> phase{Phase::kBusy};
  EXPECT_EQ(phase.Load(MemoryOrder::kRelaxed), Phase::kBusy);
  EXPECT_EQ(phase.Exchange(Phase::kDone, MemoryOrder::kAcqRel), Phase::kBusy);
  Phase expected = Phase::kIdle;
  EXPECT_FALSE(
      phase.CompareExchange(expected, Phase::kBusy, MemoryOrder::kAcqRel, MemoryOrder::kAcquire));
  EXPECT_EQ(expected, Phase::kDone);
  EXPECT_TRUE(
      phase.CompareExchange(expected, Phase::kIdle, MemoryOrder::kAcqRel, MemoryOrder::kAcquire));
  phase.Store(Phase::kBusy, MemoryOrder::kRelease);
  EXPECT_EQ(phase.Load(MemoryOrder::kAcquire), Phase::kBusy);
}

TEST(Atomic, ConcurrentIncrementsAreNotLost) {
  Atomic<uint64_t> counter;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100000; ++i) counter.FetchAdd(1, MemoryOrder::kRelaxed);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.Load(MemoryOrder::kRelaxed), 400000u);
}

}  // namespace
}  // namespace hiillos
