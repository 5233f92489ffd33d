// kernel/cap/capability_table_stress_test.cc — CapabilityTable from 4 threads at once: inserts,
// lookups, derives, transfers, deletes and teardown interleave; every result is checked and the
// table, budget and object counters must return to their baseline (every page decommitted).
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "kernel/cap/capability_table.h"
#include "kernel/cap/testing/buffer_slot_storage.h"
#include "kernel/object/testing/fake_objects.h"

namespace hiillos::cap {
namespace {

using object::testing::FakeFrame;
using object::testing::FakeNotify;
using testing::BufferSlotStorage;

constexpr int kThreads = 4;
constexpr int kRounds = 100000;
constexpr size_t kMaxHeld = 48;
constexpr uint64_t kBudget = uint64_t{1} << 30;  // never the limit here: charging is checked
// Receives copies from every thread; emptied concurrently.
object::MemoryBudget g_sink_budget{kBudget};
CapOwner g_sink{1000, &g_sink_budget};
const CapOwner kNobody{999};  // never owns anything

struct Held {
  Handle handle;
  ObjectType type;
  uint64_t value;  // FakeFrame::value() for frames
};

class Worker {
 public:
  Worker(CapabilityTable& table, Ref<FakeNotify> shared, int index)
      : table_(table),
        shared_(shared),
        me_{static_cast<uint64_t>(index + 1), &budget_},
        outbox_{static_cast<uint64_t>(100 + index), &outbox_budget_},
        rng_(index) {}

  // Returns the number of unexpected results.
  int Run() {
    for (int round = 0; round < kRounds; ++round) {
      Step(me_.id << 32 | static_cast<uint64_t>(round));
      if (held_.size() > kMaxHeld) DeleteAt(0);
      if (round % 1024 == 0) Check(table_.CheckInvariants());
    }
    while (!held_.empty()) DeleteAt(held_.size() - 1);
    if (table_.CountOwnedBy(me_) != 0 || table_.CountOwnedBy(outbox_) != 0) ++failures_;
    if (budget_.used() != 0 || outbox_budget_.used() != 0) ++failures_;
    return failures_;
  }

 private:
  void Check(bool ok) { failures_ += ok ? 0 : 1; }
  size_t Pick() { return rng_() % held_.size(); }

  void Step(uint64_t value) {
    switch (rng_() % 8) {
      case 0:
      case 1: {
        Result<Handle, Status> handle = table_.Insert(me_, FakeFrame::Create(value), Rights::kAll);
        Check(handle.ok());
        if (handle.ok()) held_.push_back({handle.value(), ObjectType::kFrame, value});
        break;
      }
      case 2: {
        Result<Handle, Status> handle = table_.Insert(me_, shared_, Rights::kAll);
        Check(handle.ok());
        if (handle.ok()) held_.push_back({handle.value(), ObjectType::kNotify, 0});
        break;
      }
      case 3: {
        if (held_.empty()) break;
        const Held& held = held_[Pick()];
        Result<CapabilityInfo, Status> info = table_.Identify(me_, held.handle);
        Check(info.ok() && info.value().type == held.type);
        if (held.type == ObjectType::kFrame) {
          Result<Ref<FakeFrame>, Status> frame =
              table_.Lookup<FakeFrame>(me_, held.handle, Rights::kRead);
          Check(frame.ok() && frame.value()->value() == held.value);
          Check(table_.Lookup<FakeNotify>(me_, held.handle, Rights::kNone).error() ==
                Status::kWrongType);
        } else {
          Result<Ref<FakeNotify>, Status> notify =
              table_.Lookup<FakeNotify>(me_, held.handle, Rights::kRead);
          Check(notify.ok() && notify.value().get() == shared_.get());
        }
        break;
      }
      case 4: {
        if (held_.empty()) break;
        Held held = held_[Pick()];
        Result<Handle, Status> derived =
            table_.Derive(me_, held.handle, Rights::kRead | Rights::kClone | Rights::kTransfer);
        Check(derived.ok());
        if (derived.ok()) held_.push_back({derived.value(), held.type, held.value});
        break;
      }
      case 5: {
        if (!held_.empty()) DeleteAt(Pick());
        break;
      }
      case 6: {
        if (held_.empty()) break;
        Held held = held_[Pick()];
        // Out to another owner and back: the slot (and handle) stays the same.
        Result<Handle, Status> out =
            table_.Transfer(me_, held.handle, outbox_, TransferMode::kMove);
        Check(out.ok() && out.value() == held.handle);
        Check(table_.LookupAny(me_, held.handle, Rights::kNone).error() ==
              Status::kInvalidCapability);
        Result<Handle, Status> back =
            table_.Transfer(outbox_, held.handle, me_, TransferMode::kMove);
        Check(back.ok() && back.value() == held.handle);
        Check(table_.Transfer(me_, held.handle, g_sink, TransferMode::kCopy).ok());
        break;
      }
      case 7: {
        table_.DeleteAllOwnedBy(g_sink);  // every thread tears the sink down now and then
        Handle probe = static_cast<Handle>(rng_() % 4096);
        Check(table_.LookupAny(kNobody, probe, Rights::kNone).error() ==
              Status::kInvalidCapability);
        break;
      }
    }
  }

  void DeleteAt(size_t index) {
    Check(table_.Delete(me_, held_[index].handle).ok());
    held_[index] = held_.back();
    held_.pop_back();
  }

  CapabilityTable& table_;
  Ref<FakeNotify> shared_;
  object::MemoryBudget budget_{kBudget};
  object::MemoryBudget outbox_budget_{kBudget};
  CapOwner me_;
  CapOwner outbox_;
  std::mt19937 rng_;
  std::vector<Held> held_;
  int failures_ = 0;
};

TEST(CapabilityTableStressTest, FourThreadsLeaveNoTrace) {
  uint64_t live_before = object::testing::LiveFakeObjects();
  uint64_t frames_created = FakeFrame::Created();
  BufferSlotStorage storage(64);
  CapabilityTable table;
  ASSERT_TRUE(table.Init(storage.storage()).ok());
  Ref<FakeNotify> shared = FakeNotify::Create();

  std::atomic<int> failures{0};
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&table, &shared, &failures, &ready, t] {
      Worker worker(table, shared, t);
      // Start together, so the threads really overlap.
      ready.fetch_add(1);
      while (ready.load() < kThreads) {
      }
      failures += worker.Run();
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(table.CheckInvariants());
  table.DeleteAllOwnedBy(g_sink);
  EXPECT_EQ(table.UsedSlots(), 0u);
  EXPECT_EQ(g_sink_budget.used(), 0u);
  EXPECT_EQ(table.CommittedPages(), 0u);  // every page went back
  EXPECT_EQ(storage.committed_pages(), 0u);
  EXPECT_GT(storage.decommits(), 0u);
  EXPECT_EQ(storage.contract_violations(), 0u);
  EXPECT_GT(FakeFrame::Created() - frames_created, static_cast<uint64_t>(kThreads * kRounds / 8));
  EXPECT_EQ(shared->RefCountForTesting(), 1u);
  EXPECT_EQ(object::testing::LiveFakeObjects(), live_before + 1);
  shared.reset();
  EXPECT_EQ(object::testing::LiveFakeObjects(), live_before);
}

}  // namespace
}  // namespace hiillos::cap
