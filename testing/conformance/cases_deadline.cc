// testing/conformance/cases_deadline.cc — NotifyWaitUntil and SystemClock: a passed deadline
// times out at once (set bits win), a wait times out no earlier than its deadline, a far
// deadline still ends with a signal, a stop interrupts it, and a thread killed in such a wait
// leaves no timer behind (the tick that would have fired it finds nothing).
#include "services/lib/tsc.h"
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "testing/conformance/notify_child.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::ExitReason;
using uapi::Rights;
using uapi::Status;

constexpr uint64_t kExited = static_cast<uint64_t>(ExitReason::kExited);
constexpr uint64_t kFarFuture = ~uint64_t{0};

// Cycle-counter ticks in `ms` milliseconds (0 if the kernel reports no frequency).
uint64_t TscForMs(uint64_t ms) {
  auto clock = rt::SystemClock();
  if (!clock.ok()) return 0;
  return clock.value().tsc_hz / 1000 * ms;
}

CONFORMANCE_CASE(system_clock_reading) {
  auto first = rt::SystemClock();
  EXPECT_OK(first);
  if (!first.ok()) return;
  EXPECT_TRUE(first.value().tsc_hz > 0);
  uint64_t now = rt::ReadTsc();
  EXPECT_TRUE(first.value().tsc <= now);
  auto second = rt::SystemClock();
  EXPECT_OK(second);
  if (!second.ok()) return;
  EXPECT_EQ(second.value().tsc_hz, first.value().tsc_hz);
  EXPECT_TRUE(second.value().tsc >= first.value().tsc);
  EXPECT_TRUE(second.value().ns >= first.value().ns);
  // The clock and SystemInfo's uptime are the same clock.
  auto info = rt::SystemInfo();
  EXPECT_TRUE(info.ok() && info.value().uptime_ns >= second.value().ns);
  EXPECT_STATUS(rt::raw::SystemClock(0), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::SystemClock(0xffff'8000'0000'0000ull), Status::kBadAddress);
}

CONFORMANCE_CASE(notify_wait_until_past_deadline) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  EXPECT_STATUS(rt::NotifyWaitUntil(n, 0), Status::kTimedOut);
  EXPECT_STATUS(rt::NotifyWaitUntil(n, rt::ReadTsc()), Status::kTimedOut);
  // Set bits win over a passed deadline, and are taken.
  EXPECT_OK(rt::NotifySignal(n, 0x81));
  auto bits = rt::NotifyWaitUntil(n, 0);
  EXPECT_TRUE(bits.ok() && bits.value() == 0x81);
  EXPECT_STATUS(rt::NotifyPoll(n), Status::kWouldBlock);
  // A timed-out wait takes nothing and leaves the object usable.
  EXPECT_STATUS(rt::NotifyWaitUntil(n, 1), Status::kTimedOut);
  EXPECT_OK(rt::NotifySignal(n, 2));
  auto later = rt::NotifyWait(n);
  EXPECT_TRUE(later.ok() && later.value() == 2);
  // Capability errors, checked before anything (a far deadline never blocks on them).
  EXPECT_STATUS(rt::raw::NotifyWaitUntil(0, kFarFuture), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::NotifyWaitUntil(60000, kFarFuture), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::NotifyWaitUntil(kMemory, kFarFuture), Status::kWrongType);
  auto weak = rt::CapDerive(n, Rights{Rights::kAll.bits & ~Rights::kRead.bits});
  EXPECT_OK(weak);
  if (weak.ok()) {
    EXPECT_STATUS(rt::raw::NotifyWaitUntil(weak.value(), kFarFuture), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(weak.value()));
  }
  EXPECT_OK(rt::CapDelete(n));
}

CONFORMANCE_CASE(notify_wait_until_times_out_after_deadline) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  uint64_t span = TscForMs(20);
  EXPECT_TRUE(span > 0);
  for (int round = 0; round < 3; ++round) {
    uint64_t deadline = rt::ReadTsc() + span;
    EXPECT_STATUS(rt::NotifyWaitUntil(n, deadline), Status::kTimedOut);
    EXPECT_TRUE(rt::ReadTsc() >= deadline);  // never early; no upper bound is asserted
  }
  EXPECT_OK(rt::CapDelete(n));
}

// Child: one wait until the deadline in g_child_deadline; exits with the bits, or 0xdead0000 +
// the status.
volatile uint64_t g_child_deadline;
volatile uint64_t g_child_waiting;

void WaitUntilOnce(uint64_t notify) {
  g_child_waiting = 1;
  auto bits = rt::NotifyWaitUntil(static_cast<Handle>(notify), g_child_deadline);
  rt::ThreadExit(bits.ok() ? bits.value() : 0xdead0000 + static_cast<uint64_t>(bits.error()));
}

CONFORMANCE_CASE(notify_wait_until_far_future_then_signalled) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  // Far deadlines: the largest, and one an hour away (filed in the wheel's upper levels).
  const uint64_t deadlines[] = {kFarFuture, rt::ReadTsc() + TscForMs(3600 * 1000)};
  for (uint64_t deadline : deadlines) {
    g_child_deadline = deadline;
    g_child_waiting = 0;
    auto child = SpawnWithNotify(WaitUntilOnce, n);
    EXPECT_OK(child);
    if (!child.ok()) break;
    Child c = child.value();
    EXPECT_OK(rt::ThreadStart(c.thread));
    while (g_child_waiting == 0) (void)rt::Yield();
    for (int i = 0; i < 20; ++i) (void)rt::Yield();  // it most likely sleeps by now
    EXPECT_OK(rt::NotifySignal(n, 0x4321));
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), kExited);
    EXPECT_EQ(exit.code, 0x4321u);
    Release(c);
  }
  EXPECT_STATUS(rt::NotifyPoll(n), Status::kWouldBlock);
  EXPECT_OK(rt::CapDelete(n));
}

volatile uint64_t g_interrupted;

// Child: waits with a far deadline until it gets bits; counts waits a stop interrupted.
void WaitUntilThroughStops(uint64_t notify) {
  g_child_waiting = 1;
  for (;;) {
    auto bits = rt::NotifyWaitUntil(static_cast<Handle>(notify), kFarFuture);
    if (bits.ok()) rt::ThreadExit(bits.value());
    if (bits.error() != Status::kInterrupted) {
      rt::ThreadExit(0xdead0000 + static_cast<uint64_t>(bits.error()));
    }
    g_interrupted = g_interrupted + 1;
  }
}

CONFORMANCE_CASE(notify_wait_until_interrupted_by_stop) {
  ExpectStopInterruptsWait(WaitUntilThroughStops, g_child_waiting, g_interrupted, 0x55);
}

// Children on every CPU time out, each no earlier than its own deadline.
void TimeOutChecked(uint64_t notify) {
  uint64_t deadline = rt::ReadTsc() + g_child_deadline;  // here: a span, not a deadline
  auto bits = rt::NotifyWaitUntil(static_cast<Handle>(notify), deadline);
  if (bits.ok() || bits.error() != Status::kTimedOut) rt::ThreadExit(1);
  rt::ThreadExit(rt::ReadTsc() >= deadline ? 0 : 2);
}

CONFORMANCE_CASE(notify_wait_until_many_time_out_on_every_cpu) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  g_child_deadline = TscForMs(15);
  auto system = rt::SystemInfo();
  uint64_t cpus = system.ok() ? system.value().cpus_online : 1;
  constexpr int kChildren = 8;
  Child children[kChildren];
  bool spawned[kChildren] = {};
  for (int i = 0; i < kChildren; ++i) {
    auto child = SpawnWithNotify(TimeOutChecked, n);
    EXPECT_OK(child);
    if (!child.ok()) continue;
    children[i] = child.value();
    spawned[i] = true;
    EXPECT_OK(rt::ThreadSetAffinity(children[i].thread, uint64_t{1} << (i % cpus)));
    EXPECT_OK(rt::ThreadStart(children[i].thread));
  }
  for (int i = 0; i < kChildren; ++i) {
    if (!spawned[i]) continue;
    uapi::ThreadExit exit = Wait(children[i]);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), kExited);
    EXPECT_EQ(exit.code, 0u);
    Release(children[i]);
  }
  EXPECT_OK(rt::CapDelete(n));
}

CONFORMANCE_CASE(notify_wait_until_killed_leaves_no_timer) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  // The child sleeps with a deadline 30 ms away and is killed (its process released) before
  // it; we then sleep past that deadline, so the tick that would have fired its timer runs
  // while the thread is gone. A timer left filed would be used after free.
  uint64_t span = TscForMs(30);
  g_child_deadline = rt::ReadTsc() + span;
  g_child_waiting = 0;
  auto child = SpawnWithNotify(WaitUntilOnce, n);
  EXPECT_OK(child);
  if (child.ok()) {
    Child c = child.value();
    EXPECT_OK(rt::ThreadStart(c.thread));
    while (g_child_waiting == 0) (void)rt::Yield();
    for (int i = 0; i < 10; ++i) (void)rt::Yield();
    Release(c);
  }
  auto own = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(own);
  if (own.ok()) {
    EXPECT_STATUS(rt::NotifyWaitUntil(own.value(), g_child_deadline + 2 * span), Status::kTimedOut);
    EXPECT_OK(rt::CapDelete(own.value()));
  }
  EXPECT_STATUS(rt::NotifyPoll(n), Status::kWouldBlock);
  EXPECT_OK(rt::CapDelete(n));
}

}  // namespace
}  // namespace hiillos::conformance
