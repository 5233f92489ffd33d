// kernel/sched/stress_ktest.cc — in-kernel stress tests: ping-pong through a wait queue while
// another thread keeps changing the players' affinity and priority (lost wake-ups, migration
// races), and stop/start cycles of a user thread that moves between CPUs.
#include "kernel/object/frame.h"
#include "kernel/object/memory.h"
#include "kernel/object/process.h"
#include "kernel/object/vmem.h"
#include "kernel/sched/testing/sched_test_util.h"
#include "kernel/sched/wait_queue.h"
#include "kernel/test/ktest.h"
#include "lib/base/atomic.h"

namespace hiillos::sched {
namespace {

using object::Ref;
using object::Thread;
using testing::EnsurePreemption;
using testing::Join;
using testing::kMillisecond;
using testing::Now;
using testing::Spawn;
using testing::WaitFor;

constexpr uint64_t kRounds = 20000;

struct Table {
  WaitQueue queue;
  uint64_t turn;  // queue's lock
  Atomic<uint32_t> finished;
  Atomic<uint64_t> progress;  // rounds played by both players (read by the chaos thread)
  bool timed_out;             // set by the chaos thread
  Atomic<uint64_t> changes;   // affinity/priority changes made while they played
  Thread* players[2];         // for the chaos thread
};

struct Player {
  Table* table;
  uint64_t side;
};

uint64_t NextRandom(uint64_t& state) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return state >> 33;
}

void Play(void* raw) {
  auto* player = static_cast<Player*>(raw);
  Table& table = *player->table;
  uint64_t online = OnlineCpuMask();
  uint64_t random = 777 + player->side;
  for (uint64_t i = 0; i < kRounds; ++i) {
    {
      WaitQueueGuard guard(table.queue);
      while (table.turn % 2 != player->side) guard.Block();
      ++table.turn;
      guard.WakeAll();
    }
    table.progress.FetchAdd(1, MemoryOrder::kRelaxed);
    if (i % 16 == 0) {
      // Move the other player (blocked, ready or running) and this one (running).
      Thread* other = table.players[1 - player->side];
      (void)other->SetAffinity(NextRandom(random) & online);
      (void)object::CurrentThread()->SetAffinity(NextRandom(random) & online);
      other->SetPriority(object::Priority::Check(1 + NextRandom(random) % 3).value());
      table.changes.FetchAdd(1, MemoryOrder::kRelaxed);
    }
  }
  table.finished.FetchAdd(1, MemoryOrder::kRelease);
}

void Chaos(void* raw) {
  auto* table = static_cast<Table*>(raw);
  uint64_t online = OnlineCpuMask();
  uint64_t random = 12345;
  // Runs until the players are done, or gives up when they make no progress for 10 s: a lost
  // wake-up stops them forever, while a slow (loaded) host only slows them down.
  constexpr uint64_t kStall = 10'000 * kMillisecond;
  uint64_t seen = table->progress.Load(MemoryOrder::kRelaxed);
  uint64_t deadline = Now() + kStall;
  while (table->finished.Load(MemoryOrder::kAcquire) != 2) {
    uint64_t now_progress = table->progress.Load(MemoryOrder::kRelaxed);
    if (now_progress != seen) {
      seen = now_progress;
      deadline = Now() + kStall;
    } else if (Now() > deadline) {
      table->timed_out = true;
      return;
    }
    Thread* victim = table->players[NextRandom(random) % 2];
    uint64_t mask = NextRandom(random) & online;  // 0 = any CPU
    (void)victim->SetAffinity(mask);
    victim->SetPriority(object::Priority::Check(1 + NextRandom(random) % 3).value());
    table->changes.FetchAdd(1, MemoryOrder::kRelaxed);
    testing::Spin(NextRandom(random) % 20'000);
    if (NextRandom(random) % 2 == 0) Yield();
  }
}

// Static: if the players hang (a lost wake-up), the test returns without joining them, and they
// must not be left pointing into a stack frame that the next test reuses.
Table g_ping_pong_table;
Player g_ping_pong_players[2] = {{&g_ping_pong_table, 0}, {&g_ping_pong_table, 1}};

KTEST(sched_stress, ping_pong_survives_affinity_and_priority_changes) {
  EnsurePreemption();
  Table& table = g_ping_pong_table;
  Player* players = g_ping_pong_players;
  Ref<Thread> threads[2];
  for (int i = 0; i < 2; ++i) {
    threads[i] = Thread::CreateKernel("player", Play, &players[i]).value();
    table.players[i] = threads[i].get();
  }
  for (auto& thread : threads) KASSERT(thread->Start().ok());
  Ref<Thread> chaos = Spawn("chaos", Chaos, &table, 1, 0);
  KASSERT(chaos);
  Join(chaos);
  KEXPECT(!table.timed_out);
  if (table.timed_out) return;  // no progress for 10 s: the players never end, do not join them
  for (auto& thread : threads) Join(thread);
  KEXPECT_EQ(table.turn, 2 * kRounds);
  KEXPECT(table.changes.Load(MemoryOrder::kRelaxed) >=
          100);  // the chaos really happened while they played
}

KTEST(sched_stress, stop_start_cycles_keep_user_registers) {
  EnsurePreemption();
  auto memory = object::Memory::Create(1ull << 20);
  KASSERT(memory.ok());
  auto vmem = object::Vmem::Create(memory.value());
  auto code = object::Frame::Create(memory.value(), 0);
  KASSERT(vmem.ok() && code.ok());
  static_cast<uint8_t*>(code.value()->KernelPointer())[0] = 0xeb;  // jmp .
  static_cast<uint8_t*>(code.value()->KernelPointer())[1] = 0xfe;
  KASSERT(object::MapForKernel(*vmem.value(), code.value(), 0x40'0000,
                               uapi::kMapRead | uapi::kMapExecute, memory.value())
              .ok());
  auto process = object::Process::Create(memory.value(), vmem.value());
  KASSERT(process.ok());
  Ref<Thread> thread = Thread::Create(process.value()).value();
  uapi::ThreadRegs regs{};
  regs.rip = 0x40'0000;
  regs.r13 = 0x1313'1313;
  regs.fs_base = 0x5000;
  KASSERT(thread->SetRegs(regs).ok());
  KASSERT(thread->Start().ok());
  uint64_t online = OnlineCpuMask();
  uint64_t random = 99;
  for (int cycle = 0; cycle < 40; ++cycle) {
    (void)thread->SetAffinity(NextRandom(random) & online);
    testing::Spin(NextRandom(random) % 3'000'000);
    KASSERT(thread->Stop().ok());
    uapi::ThreadRegs read{};
    KASSERT(WaitFor([&] { return thread->GetRegs(&read).ok(); }));
    KEXPECT_EQ(read.rip, 0x40'0000u);
    KEXPECT_EQ(read.r13, 0x1313'1313u);
    KEXPECT_EQ(read.fs_base, 0x5000u);
    KEXPECT(thread->state() == ThreadState::kStopped);
    KASSERT(thread->Start().ok());
    // Half the time stop it again before it ever ran: the stop is cancelled by Start.
    if (cycle % 2 == 0) {
      KASSERT(thread->Stop().ok());
      KASSERT(thread->Start().ok());
    }
  }
  thread->Kill();
  uapi::ThreadExit exit = Join(thread);
  KEXPECT_EQ(static_cast<uint64_t>(exit.reason), static_cast<uint64_t>(uapi::ExitReason::kKilled));
  KEXPECT(process.value()->dead());
}

}  // namespace
}  // namespace hiillos::sched
