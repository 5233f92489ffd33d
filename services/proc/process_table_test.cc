// services/proc/process_table_test.cc — spawn, run, exit, kill, wait/collect, orphans, listing
// and pid uniqueness of the proc server's table.
#include "services/proc/process_table.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>
#include <string>

namespace hiillos::proc {
namespace {

Pid SpawnOk(ProcessTable& t, Pid parent, const char* name) {
  auto r = t.Spawn(parent, name, strlen(name));
  EXPECT_TRUE(r.ok()) << name;
  return r.value_or(kNoPid);
}

TEST(ProcessTableTest, SpawnRunExitAndWaitDeliverTheExitCode) {
  ProcessTable t;
  Pid init = SpawnOk(t, kNoPid, "init");
  ASSERT_TRUE(t.MarkRunning(init).ok());
  Pid child = SpawnOk(t, init, "hello");
  EXPECT_GT(child, init);
  EXPECT_EQ(t.Info(child).value().state, ProcessState::kStarting);
  ASSERT_TRUE(t.MarkRunning(child).ok());
  EXPECT_EQ(t.MarkRunning(child).error(), ProcError::kBadState);

  // Waiting before the end registers the waiter; the end names it; Collect reaps.
  auto w = t.Wait(init, child);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w.value().state, ProcessState::kRunning);
  EXPECT_EQ(t.Wait(init, child).error(), ProcError::kAlreadyWaited);
  auto end = t.Exit(child, 42);
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end.value().waited);
  EXPECT_EQ(end.value().waiter, init);
  EXPECT_FALSE(end.value().reaped);
  auto info = t.Collect(child);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.value().exit_code, 42);
  EXPECT_EQ(info.value().state, ProcessState::kExited);
  EXPECT_EQ(t.Info(child).error(), ProcError::kNoSuchPid);
  EXPECT_EQ(t.size(), 1u);
}

TEST(ProcessTableTest, ExitBeforeWaitKeepsAZombieUntilWaited) {
  ProcessTable t;
  Pid parent = SpawnOk(t, kNoPid, "init");
  Pid child = SpawnOk(t, parent, "quick");
  auto end = t.Exit(child, 7);
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end.value().waited);
  EXPECT_FALSE(end.value().reaped);
  EXPECT_EQ(t.Exit(child, 8).error(), ProcError::kBadState);
  auto w = t.Wait(parent, child);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w.value().exit_code, 7);
  EXPECT_EQ(t.Wait(parent, child).error(), ProcError::kNoSuchPid);
}

TEST(ProcessTableTest, OnlyTheParentWaitsOrKills) {
  ProcessTable t;
  Pid a = SpawnOk(t, kNoPid, "a");
  Pid b = SpawnOk(t, kNoPid, "b");
  Pid child = SpawnOk(t, a, "child");
  EXPECT_EQ(t.Wait(b, child).error(), ProcError::kNotAChild);
  EXPECT_EQ(t.CheckKill(b, child).error(), ProcError::kNotAChild);
  EXPECT_TRUE(t.CheckKill(a, child).ok());
  EXPECT_TRUE(t.CheckKill(kNoPid, child).ok());  // proc itself
  EXPECT_EQ(t.CheckKill(a, 999).error(), ProcError::kNoSuchPid);
  auto end = t.Killed(child);
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(t.CheckKill(a, child).error(), ProcError::kBadState);
  auto w = t.Wait(a, child);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w.value().state, ProcessState::kKilled);
}

TEST(ProcessTableTest, ReadinessIsRecordedOnceAndSeenOnlyByTheParent) {
  ProcessTable t;
  Pid init = SpawnOk(t, kNoPid, "init");
  ASSERT_TRUE(t.MarkRunning(init).ok());
  Pid other = SpawnOk(t, kNoPid, "other");
  Pid child = SpawnOk(t, init, "svc");
  EXPECT_EQ(t.MarkReady(child).error(), ProcError::kBadState);  // still starting
  ASSERT_TRUE(t.MarkRunning(child).ok());
  EXPECT_EQ(t.ReadyState(init, child).value(), Readiness::kPending);
  EXPECT_EQ(t.ReadyState(other, child).error(), ProcError::kNotAChild);
  EXPECT_EQ(t.ReadyState(init, 999).error(), ProcError::kNoSuchPid);
  EXPECT_EQ(t.MarkReady(999).error(), ProcError::kNoSuchPid);
  EXPECT_EQ(t.MarkReady(child).value(), init);
  EXPECT_EQ(t.MarkReady(child).value(), init);  // again: no change
  EXPECT_EQ(t.ReadyState(init, child).value(), Readiness::kReady);
  EXPECT_TRUE(t.Info(child).value().ready);
  ASSERT_TRUE(t.Exit(child, 0).ok());
  EXPECT_EQ(t.ReadyState(init, child).value(), Readiness::kReady);  // it was ready before it ended
  EXPECT_EQ(t.MarkReady(child).error(), ProcError::kBadState);
}

TEST(ProcessTableTest, AChildThatEndsUnreadyReportsEnded) {
  ProcessTable t;
  Pid init = SpawnOk(t, kNoPid, "init");
  ASSERT_TRUE(t.MarkRunning(init).ok());
  Pid child = SpawnOk(t, init, "svc");
  ASSERT_TRUE(t.MarkRunning(child).ok());
  ASSERT_TRUE(t.Killed(child).ok());
  EXPECT_EQ(t.ReadyState(init, child).value(), Readiness::kEnded);
  EXPECT_FALSE(t.Info(child).value().ready);
  ASSERT_TRUE(t.Wait(init, child).ok());  // reaped
  EXPECT_EQ(t.ReadyState(init, child).error(), ProcError::kNoSuchPid);
}

TEST(ProcessTableTest, ParentsEndOrphansChildren) {
  ProcessTable t;
  Pid parent = SpawnOk(t, kNoPid, "parent");
  Pid zombie = SpawnOk(t, parent, "zombie");
  Pid running = SpawnOk(t, parent, "running");
  ASSERT_TRUE(t.Exit(zombie, 1).ok());
  ASSERT_TRUE(t.Wait(parent, running).ok());  // the wait dies with the parent
  ASSERT_TRUE(t.Exit(parent, 0).ok());
  EXPECT_EQ(t.Info(zombie).error(), ProcError::kNoSuchPid);  // reaped: nobody can wait
  EXPECT_EQ(t.Info(running).value().parent, kNoPid);
  EXPECT_EQ(t.Wait(kNoPid, running).error(), ProcError::kNoSuchPid);
  auto end = t.Exit(running, 3);
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end.value().reaped);
  EXPECT_FALSE(end.value().waited);
  EXPECT_EQ(t.Info(running).error(), ProcError::kNoSuchPid);
  EXPECT_EQ(t.Spawn(parent, "x", 1).error(), ProcError::kNoSuchPid);  // an ended parent
}

TEST(ProcessTableTest, ListsInPidOrderWithMemory) {
  ProcessTable t;
  Pid a = SpawnOk(t, kNoPid, "a");
  Pid b = SpawnOk(t, kNoPid, "b");
  Pid c = SpawnOk(t, kNoPid, "c");
  ASSERT_TRUE(t.Exit(a, 0).ok());
  ASSERT_TRUE(t.Wait(kNoPid, a).ok());  // slot 0 free again
  Pid d = SpawnOk(t, kNoPid, "d");      // reuses slot 0 with a larger pid
  ASSERT_TRUE(t.SetMemory(c, 4096).ok());
  EXPECT_EQ(t.List(0).value().pid, b);
  EXPECT_EQ(t.List(1).value().pid, c);
  EXPECT_EQ(t.List(1).value().memory_bytes, 4096u);
  EXPECT_STREQ(t.List(1).value().name, "c");
  EXPECT_EQ(t.List(2).value().pid, d);
  EXPECT_EQ(t.List(3).error(), ProcError::kNoSuchPid);
}

TEST(ProcessTableTest, NamesAndCapacityAreBounded) {
  ProcessTable t;
  EXPECT_EQ(t.Spawn(kNoPid, "", 0).error(), ProcError::kBadName);
  std::string long_name(kMaxProcessName + 1, 'n');
  EXPECT_EQ(t.Spawn(kNoPid, long_name.data(), long_name.size()).error(), ProcError::kBadName);
  for (size_t i = 0; i < kMaxProcesses; ++i) SpawnOk(t, kNoPid, "p");
  EXPECT_EQ(t.Spawn(kNoPid, "p", 1).error(), ProcError::kTableFull);
}

// Random spawns, ends, waits and kills: pids are never reused, the table's size matches a
// model, every exit code reaches exactly one waiter or is reaped with its orphan.
TEST(ProcessTableTest, RandomLifecyclesKeepPidsUniqueAndCodesDelivered) {
  ProcessTable t;
  std::mt19937 rng(99);
  std::map<Pid, Pid> parent_of;  // live or zombie records, per the model
  std::map<Pid, int64_t> codes;
  Pid last_pid = kNoPid;
  uint64_t delivered = 0;
  for (int step = 0; step < 50000; ++step) {
    std::vector<Pid> known;
    for (auto& [pid, parent] : parent_of) known.push_back(pid);
    const Pid any = known.empty() ? kNoPid : known[rng() % known.size()];
    switch (rng() % 4) {
      case 0: {
        const Pid parent = rng() % 3 == 0 || any == kNoPid ? kNoPid : any;
        auto r = t.Spawn(parent, "p", 1);
        if (r.ok()) {
          EXPECT_GT(r.value(), last_pid);
          last_pid = r.value();
          parent_of[r.value()] = parent;
        }
        break;
      }
      case 1:
      case 2: {
        if (any == kNoPid) break;
        const int64_t code = static_cast<int64_t>(rng() % 1000);
        auto end = rng() % 2 ? t.Exit(any, code) : t.Killed(any);
        if (!end.ok()) break;
        codes[any] = code;
        if (end.value().waited) {
          auto info = t.Collect(any);
          ASSERT_TRUE(info.ok());
          EXPECT_EQ(info.value().pid, any);
          ++delivered;
        }
        break;
      }
      case 3: {
        if (any == kNoPid) break;
        auto w = t.Wait(parent_of[any], any);
        if (w.ok() && (w.value().state == ProcessState::kExited ||
                       w.value().state == ProcessState::kKilled)) {
          if (w.value().state == ProcessState::kExited) EXPECT_EQ(w.value().exit_code, codes[any]);
          ++delivered;
        }
        break;
      }
    }
    // Resync the model with what the table holds (reaping is the table's to decide).
    for (auto it = parent_of.begin(); it != parent_of.end();) {
      auto info = t.Info(it->first);
      if (!info.ok()) {
        it = parent_of.erase(it);
      } else {
        it->second = info.value().parent;
        ++it;
      }
    }
    ASSERT_EQ(t.size(), parent_of.size()) << "step " << step;
  }
  EXPECT_GT(delivered, 1000u);
}

}  // namespace
}  // namespace hiillos::proc
