// testing/conformance/cases_kill.cc — ProcessKill: a looping process, a process whose threads
// are blocked, a process that never ran (holding a capability to itself), and the errors.
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::Rights;
using uapi::Status;

volatile uint64_t g_spinning;
volatile uint64_t g_blocked;

void Spin(uint64_t) {
  g_spinning = 1;
  for (volatile uint64_t i = 0;; i = i + 1) {  // volatile: a loop the compiler must keep
  }
}

// Blocks in NotifyWait on the handle it was given (nobody signals it).
void BlockOnNotify(uint64_t notify) {
  g_blocked = 1;
  auto bits = rt::NotifyWait(static_cast<Handle>(notify));
  rt::ThreadExit(bits.ok() ? 0x5000 + bits.value() : 0x6000 + static_cast<uint64_t>(bits.error()));
}

bool Killed(const uapi::ThreadExit& exit) {
  return exit.reason == uapi::ExitReason::kKilled && exit.code == 0;
}

// A second thread in a shared-vmem child, on a stack of the suite's.
alignas(16) uint8_t g_second_stack[0x4000];

CONFORMANCE_CASE(process_kill_looping) {
  g_spinning = 0;
  auto child = SpawnShared(Spin, 0);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  while (g_spinning == 0) (void)rt::Yield();
  EXPECT_OK(rt::ProcessKill(c.process));
  const uapi::ThreadExit exit = Wait(c);
  EXPECT_TRUE(Killed(exit));
  // Dead: it takes nothing any more; a second kill changes nothing.
  EXPECT_STATUS(rt::ProcessGiveCap(c.process, kMemory, Rights::kRead), Status::kDead);
  EXPECT_STATUS(rt::MemoryAllocThread(kMemory, c.process), Status::kDead);
  EXPECT_OK(rt::ProcessKill(c.process));
  Release(c);
}

CONFORMANCE_CASE(process_kill_blocked_threads) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  g_blocked = 0;
  g_spinning = 0;
  auto child = SpawnShared(BlockOnNotify, 0, /*start=*/false);
  EXPECT_OK(child);
  if (!child.ok()) {
    (void)rt::CapDelete(notify.value());
    return;
  }
  Child c = child.value();
  auto given = rt::ProcessGiveCap(c.process, notify.value(), Rights::kRead);
  EXPECT_OK(given);
  uapi::ThreadRegs regs = SharedChildRegs(BlockOnNotify, given.ok() ? given.value() : 0, c.stack);
  EXPECT_OK(rt::ThreadSetRegs(c.thread, &regs));
  // A second thread of the same process that spins.
  auto second = rt::MemoryAllocThread(kMemory, c.process);
  EXPECT_OK(second);
  if (second.ok()) {
    uapi::ThreadRegs spin = SharedChildRegs(Spin, 0, g_second_stack);
    EXPECT_OK(rt::ThreadSetRegs(second.value(), &spin));
    EXPECT_OK(rt::ThreadStart(second.value()));
  }
  EXPECT_OK(rt::ThreadStart(c.thread));
  while (g_blocked == 0 || (second.ok() && g_spinning == 0)) (void)rt::Yield();
  for (int i = 0; i < 20; ++i) (void)rt::Yield();  // most likely asleep in NotifyWait by now
  EXPECT_OK(rt::ProcessKill(c.process));
  EXPECT_TRUE(Killed(Wait(c)));  // the blocked wait ended
  if (second.ok()) {
    auto exit = rt::ThreadWait(second.value());
    EXPECT_OK(exit);
    if (exit.ok()) EXPECT_TRUE(Killed(exit.value()));
    EXPECT_OK(rt::CapDelete(second.value()));
  }
  // Its capabilities went with it: the Notify has only our handle left, and the process is dead.
  EXPECT_STATUS(rt::ProcessGiveCap(c.process, kMemory, Rights::kRead), Status::kDead);
  Release(c);
  EXPECT_OK(rt::CapDelete(notify.value()));
}

// A process that never ran and holds a capability to itself (a reference cycle deleting our
// handle alone would leak): killing it ends it with its capabilities; the leak check after the
// case proves that every object went.
CONFORMANCE_CASE(process_kill_never_run) {
  auto child = SpawnShared(Spin, 0, /*start=*/false);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  EXPECT_OK(rt::ProcessGiveCap(c.process, c.process, Rights::kAll));
  EXPECT_OK(rt::ProcessGiveCap(c.process, c.thread, Rights::kAll));
  EXPECT_OK(rt::ProcessKill(c.process));
  // Its new thread never runs; no thread can be added.
  EXPECT_STATUS(rt::ThreadStart(c.thread), Status::kBusy);
  EXPECT_STATUS(rt::MemoryAllocThread(kMemory, c.process), Status::kDead);
  const uapi::ThreadExit exit = Wait(c);
  EXPECT_TRUE(Killed(exit));
  Release(c);
}

CONFORMANCE_CASE(process_kill_errors) {
  EXPECT_STATUS(rt::raw::ProcessKill(0), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::ProcessKill(60000), Status::kInvalidCapability);
  EXPECT_STATUS(rt::ProcessKill(kMemory), Status::kWrongType);
  auto weak = rt::CapDerive(kSelf, Rights::kRead);
  EXPECT_OK(weak);
  if (weak.ok()) {
    EXPECT_STATUS(rt::ProcessKill(weak.value()), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(weak.value()));
  }
}

}  // namespace
}  // namespace hiillos::conformance
