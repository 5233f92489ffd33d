// testing/conformance/cases_notify.cc — MemoryAllocNotify, NotifySignal, NotifyWait, NotifyPoll:
// bits merge until taken, a wait blocks until a signal, a stop ends a wait, and signals between
// threads on different CPUs are never lost.
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

// Capability errors common to calls taking (notify, ...): `call(handle)`.
template <typename Call>
void ExpectNotifyCapErrors(Call call, Handle notify, Rights needed) {
  EXPECT_STATUS(call(0), Status::kInvalidCapability);
  EXPECT_STATUS(call(60000), Status::kInvalidCapability);
  EXPECT_STATUS(call(uint64_t{1} << 35), Status::kInvalidCapability);
  EXPECT_STATUS(call(kMemory), Status::kWrongType);
  EXPECT_STATUS(call(kOwnThread), Status::kWrongType);
  auto weak = rt::CapDerive(notify, Rights{Rights::kAll.bits & ~needed.bits});
  EXPECT_OK(weak);
  if (!weak.ok()) return;
  EXPECT_STATUS(call(weak.value()), Status::kMissingRights);
  EXPECT_OK(rt::CapDelete(weak.value()));
}

CONFORMANCE_CASE(notify_alloc_signal_poll) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  auto info = rt::CapIdentify(n);
  EXPECT_TRUE(info.ok() && info.value().type == uapi::ObjectType::kNotify &&
              info.value().rights == Rights::kAll);
  // Nothing set yet.
  EXPECT_STATUS(rt::NotifyPoll(n), Status::kWouldBlock);
  // Signals merge until a poll takes them all.
  EXPECT_OK(rt::NotifySignal(n, 0b101));
  EXPECT_OK(rt::NotifySignal(n, 0b110));
  EXPECT_OK(rt::NotifySignal(n, uint64_t{1} << 63));
  auto bits = rt::NotifyPoll(n);
  EXPECT_TRUE(bits.ok() && bits.value() == (0b111 | uint64_t{1} << 63));
  EXPECT_STATUS(rt::NotifyPoll(n), Status::kWouldBlock);
  // A wait with bits pending returns at once and takes them.
  EXPECT_OK(rt::NotifySignal(n, 0x40));
  auto waited = rt::NotifyWait(n);
  EXPECT_TRUE(waited.ok() && waited.value() == 0x40);
  EXPECT_STATUS(rt::NotifyPoll(n), Status::kWouldBlock);
  // Errors.
  EXPECT_STATUS(rt::NotifySignal(n, 0), Status::kInvalidArgument);
  EXPECT_STATUS(rt::NotifyPoll(n), Status::kWouldBlock);  // the failed signal set nothing
  ExpectNotifyCapErrors([&](uint64_t h) { return rt::raw::NotifySignal(h, 1); }, n, Rights::kWrite);
  ExpectNotifyCapErrors([&](uint64_t h) { return rt::raw::NotifyPoll(h); }, n, Rights::kRead);
  // Wait's errors (a capability without kRead never blocks).
  ExpectNotifyCapErrors([&](uint64_t h) { return rt::raw::NotifyWait(h); }, n, Rights::kRead);
  EXPECT_OK(rt::CapDelete(n));
}

CONFORMANCE_CASE(notify_alloc_errors) {
  EXPECT_STATUS(rt::raw::MemoryAllocNotify(0), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::MemoryAllocNotify(60000), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::MemoryAllocNotify(uint64_t{1} << 35), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::MemoryAllocNotify(kOwnVmem), Status::kWrongType);
  auto weak = rt::CapDerive(kMemory, Rights{Rights::kAll.bits & ~Rights::kWrite.bits});
  EXPECT_OK(weak);
  if (!weak.ok()) return;
  EXPECT_STATUS(rt::raw::MemoryAllocNotify(weak.value()), Status::kMissingRights);
  EXPECT_OK(rt::CapDelete(weak.value()));
  // Many notifies, each charged and returned.
  auto before = rt::MemoryInfo(kMemory);
  Handle handles[32];
  for (Handle& h : handles) {
    auto made = rt::MemoryAllocNotify(kMemory);
    EXPECT_OK(made);
    h = made.ok() ? made.value() : 0;
  }
  auto during = rt::MemoryInfo(kMemory);
  EXPECT_TRUE(before.ok() && during.ok() && during.value().used_bytes > before.value().used_bytes);
  for (Handle h : handles) {
    if (h != 0) EXPECT_OK(rt::CapDelete(h));
  }
  auto after = rt::MemoryInfo(kMemory);
  EXPECT_TRUE(after.ok() && after.value().used_bytes == before.value().used_bytes);
}

// Child: waits once and exits with the bits it got.
void WaitOnce(uint64_t notify) {
  auto bits = rt::NotifyWait(static_cast<Handle>(notify));
  rt::ThreadExit(bits.ok() ? bits.value() : 0xdead0000 + static_cast<uint64_t>(bits.error()));
}

CONFORMANCE_CASE(notify_wait_blocks_until_signal) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  auto child = SpawnWithNotify(WaitOnce, n, Rights::kRead);
  EXPECT_OK(child);
  if (child.ok()) {
    Child c = child.value();
    EXPECT_OK(rt::ThreadStart(c.thread));
    for (int i = 0; i < 20; ++i) (void)rt::Yield();  // it most likely sleeps by now
    EXPECT_OK(rt::NotifySignal(n, 0x1234));
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), kExited);
    EXPECT_EQ(exit.code, 0x1234u);
    EXPECT_STATUS(rt::NotifyPoll(n), Status::kWouldBlock);  // the child took the bits
    Release(c);
  }
  EXPECT_OK(rt::CapDelete(n));
}

volatile uint64_t g_interrupted_waits;
volatile uint64_t g_waiter_ready;

// Child: waits until it gets bits (a wait ended by ThreadStop returns 0: counted, then again).
void WaitThroughStops(uint64_t notify) {
  g_waiter_ready = 1;
  for (;;) {
    auto bits = rt::NotifyWait(static_cast<Handle>(notify));
    if (!bits.ok()) rt::ThreadExit(0xdead0000 + static_cast<uint64_t>(bits.error()));
    if (bits.value() != 0) rt::ThreadExit(bits.value());
    g_interrupted_waits = g_interrupted_waits + 1;
  }
}

// A thread asleep in NotifyWait stops (the wait returns 0 bits and takes nothing); before
// interruptible waits, this stop never took effect.
CONFORMANCE_CASE(notify_stop_ends_a_wait) {
  ExpectStopInterruptsWait(WaitThroughStops, g_waiter_ready, g_interrupted_waits, 0x77);
}

// Ping-pong: the child answers every bit it gets on `ping` with the same bit on `pong`.
struct PingPong {
  Handle ping = 0;  // the child's handles
  Handle pong = 0;
  uint64_t rounds = 0;
};
PingPong g_ping_pong;

void Answer(uint64_t) {
  for (uint64_t i = 0; i < g_ping_pong.rounds; ++i) {
    auto bits = rt::NotifyWait(g_ping_pong.ping);
    if (!bits.ok() || bits.value() == 0) rt::ThreadExit(1000 + i);
    if (!rt::NotifySignal(g_ping_pong.pong, bits.value()).ok()) rt::ThreadExit(2000 + i);
  }
  rt::ThreadExit(0);
}

CONFORMANCE_CASE(notify_ping_pong_across_cpus) {
  auto ping = rt::MemoryAllocNotify(kMemory);
  auto pong = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(ping);
  EXPECT_OK(pong);
  auto child = SpawnShared(Answer, 0, /*start=*/false);
  EXPECT_OK(child);
  if (ping.ok() && pong.ok() && child.ok()) {
    Child c = child.value();
    auto their_ping = rt::ProcessGiveCap(c.process, ping.value(), Rights::kRead);
    auto their_pong = rt::ProcessGiveCap(c.process, pong.value(), Rights::kWrite);
    EXPECT_OK(their_ping);
    EXPECT_OK(their_pong);
    g_ping_pong = {their_ping.ok() ? their_ping.value() : 0,
                   their_pong.ok() ? their_pong.value() : 0, 500};
    // On more than one CPU, the two ends run on different ones.
    auto system = rt::SystemInfo();
    if (system.ok() && system.value().cpus_online > 1) {
      EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 1u << 0));
      EXPECT_OK(rt::ThreadSetAffinity(c.thread, 1u << 1));
    }
    EXPECT_OK(rt::ThreadStart(c.thread));
    uint64_t mismatches = 0;
    for (uint64_t i = 0; i < g_ping_pong.rounds; ++i) {
      uint64_t bit = uint64_t{1} << (i % 64);
      if (!rt::NotifySignal(ping.value(), bit).ok()) ++mismatches;
      auto back = rt::NotifyWait(pong.value());
      if (!back.ok() || back.value() != bit) ++mismatches;
    }
    EXPECT_EQ(mismatches, 0u);
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), kExited);
    EXPECT_EQ(exit.code, 0u);
    EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 0));
    Release(c);
  } else if (child.ok()) {
    Child c = child.value();
    Release(c);
  }
  if (ping.ok()) EXPECT_OK(rt::CapDelete(ping.value()));
  if (pong.ok()) EXPECT_OK(rt::CapDelete(pong.value()));
}

}  // namespace
}  // namespace hiillos::conformance
