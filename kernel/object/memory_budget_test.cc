// kernel/object/memory_budget_test.cc — MemoryBudget: limits, refunds, concurrent charges.
#include "kernel/object/memory_budget.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace hiillos::object {
namespace {

using uapi::Status;

TEST(MemoryBudgetTest, ChargesUpToTheTotalAndNoFurther) {
  MemoryBudget budget(0x3000);
  EXPECT_TRUE(budget.Charge(0x1000).ok());
  EXPECT_TRUE(budget.Charge(0x2000).ok());
  EXPECT_EQ(budget.available(), 0u);
  EXPECT_EQ(budget.Charge(1).error(), Status::kOutOfMemory);
  budget.Refund(0x1000);
  EXPECT_EQ(budget.used(), 0x2000u);
  EXPECT_EQ(budget.Charge(0x1001).error(), Status::kOutOfMemory);
  EXPECT_TRUE(budget.Charge(0x1000).ok());
}

TEST(MemoryBudgetTest, HugeChargesDoNotWrap) {
  MemoryBudget budget(0x1000);
  ASSERT_TRUE(budget.Charge(0x800).ok());
  EXPECT_EQ(budget.Charge(~0ull).error(), Status::kOutOfMemory);
  EXPECT_EQ(budget.Charge(~0ull - 0x7ff).error(), Status::kOutOfMemory);
  EXPECT_EQ(budget.used(), 0x800u);
  MemoryBudget empty(0);
  EXPECT_TRUE(empty.Charge(0).ok());
  EXPECT_EQ(empty.Charge(1).error(), Status::kOutOfMemory);
}

TEST(MemoryBudgetTest, RefundingMoreThanUsedTraps) {
  MemoryBudget budget(0x1000);
  ASSERT_TRUE(budget.Charge(0x10).ok());
  EXPECT_DEATH(budget.Refund(0x11), "");
}

TEST(MemoryBudgetTest, ConcurrentChargesNeverOvershoot) {
  constexpr uint64_t kTotal = 1000;
  MemoryBudget budget(kTotal);
  std::vector<std::thread> threads;
  std::atomic<uint64_t> granted{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (budget.Charge(1).ok()) granted.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(granted.load(), kTotal);
  EXPECT_EQ(budget.used(), kTotal);
}

}  // namespace
}  // namespace hiillos::object
