// testing/conformance/notify_child.cc — SpawnWithNotify, ExpectStopInterruptsWait.
#include "testing/conformance/notify_child.h"

#include "testing/conformance/harness.h"

namespace hiillos::conformance {

Result<Child, uapi::Status> SpawnWithNotify(ChildFunction fn, Handle notify, uapi::Rights rights) {
  auto child = SpawnShared(fn, 0, /*start=*/false);
  if (!child.ok()) return Err(child.error());
  Child c = child.value();
  auto given = rt::ProcessGiveCap(c.process, notify, rights);
  if (!given.ok()) {
    Release(c);
    return Err(given.error());
  }
  const uapi::ThreadRegs regs = SharedChildRegs(fn, given.value(), c.stack);
  auto set = rt::ThreadSetRegs(c.thread, &regs);
  if (!set.ok()) {
    Release(c);
    return Err(set.error());
  }
  return c;
}

void ExpectStopInterruptsWait(ChildFunction waiter, volatile uint64_t& ready,
                              volatile uint64_t& interrupted, uint64_t bits) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  interrupted = 0;
  ready = 0;
  auto child = SpawnWithNotify(waiter, n);
  EXPECT_OK(child);
  if (child.ok()) {
    Child c = child.value();
    EXPECT_OK(rt::ThreadStart(c.thread));
    while (ready == 0) (void)rt::Yield();
    // The stop must land while the child sleeps in its wait rather than just before it; on
    // several CPUs under a loaded host its CPU may not run for a while, so keep trying (the loop
    // ends at the first interrupted wait).
    for (int attempt = 0; attempt < 5000 && interrupted == 0; ++attempt) {
      for (int i = 0; i < 10; ++i) (void)rt::Yield();
      auto regs = StopAndGetRegs(c.thread);
      EXPECT_OK(regs);
      EXPECT_OK(rt::ThreadStart(c.thread));
      for (int i = 0; i < 10; ++i) (void)rt::Yield();
    }
    EXPECT_TRUE(interrupted >= 1);
    // Bits signalled while it was stopped or waiting again are delivered.
    EXPECT_OK(rt::NotifySignal(n, bits));
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), static_cast<uint64_t>(uapi::ExitReason::kExited));
    EXPECT_EQ(exit.code, bits);
    Release(c);
  }
  EXPECT_OK(rt::CapDelete(n));
}

}  // namespace hiillos::conformance
