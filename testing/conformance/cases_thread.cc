// testing/conformance/cases_thread.cc — ThreadGetRegs/SetRegs/Start/Stop/SetPriority/
// SetAffinity/Wait/Exit, on children that share our address space.
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::ExitReason;
using uapi::Rights;
using uapi::Status;

void ExitWith(uint64_t code) {
  rt::ThreadExit(code);
}

void Spin(uint64_t) {
  for (;;) asm volatile("pause");
}

// Spins until *flag (an address in our shared space) becomes non-zero, then exits with it.
void WaitForFlag(uint64_t flag_address) {
  auto* flag = reinterpret_cast<volatile uint64_t*>(flag_address);
  while (*flag == 0) (void)rt::Yield();
  rt::ThreadExit(*flag);
}

uint64_t Reason(const uapi::ThreadExit& exit) {
  return static_cast<uint64_t>(exit.reason);
}

constexpr uint64_t kExited = static_cast<uint64_t>(ExitReason::kExited);

// Common capability errors of the thread calls taking (thread, ...).
template <typename Call>
void ExpectThreadCapErrors(Call call, Handle thread, Rights needed) {
  EXPECT_STATUS(call(0), Status::kInvalidCapability);
  EXPECT_STATUS(call(60000), Status::kInvalidCapability);
  EXPECT_STATUS(call(uint64_t{1} << 35), Status::kInvalidCapability);
  EXPECT_STATUS(call(kMemory), Status::kWrongType);
  EXPECT_STATUS(call(kSelf), Status::kWrongType);
  auto weak = rt::CapDerive(thread, Rights{Rights::kAll.bits & ~needed.bits});
  EXPECT_OK(weak);
  if (!weak.ok()) return;
  EXPECT_STATUS(call(weak.value()), Status::kMissingRights);
  EXPECT_OK(rt::CapDelete(weak.value()));
}

CONFORMANCE_CASE(thread_exit_and_wait) {
  auto child = SpawnShared(ExitWith, 42);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  uapi::ThreadExit exit = Wait(c);
  EXPECT_EQ(Reason(exit), kExited);
  EXPECT_EQ(exit.code, 42u);
  // Waiting again returns the same record at once.
  auto again = rt::ThreadWait(c.thread);
  EXPECT_TRUE(again.ok() && again.value().code == 42);
  // An exited thread cannot be started or stopped again.
  EXPECT_STATUS(rt::ThreadStart(c.thread), Status::kBusy);
  EXPECT_STATUS(rt::ThreadStop(c.thread), Status::kBusy);
  // Wait's errors.
  EXPECT_STATUS(rt::ThreadWait(kOwnThread), Status::kBusy);  // waiting for oneself
  EXPECT_STATUS(rt::raw::ThreadWait(c.thread, 0), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::ThreadWait(c.thread, uapi::kRootBootInfoAddress), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::ThreadWait(c.thread, 0xffff'8000'0000'0000ull), Status::kBadAddress);
  uapi::ThreadExit sink{};
  ExpectThreadCapErrors(
      [&](uint64_t t) { return rt::raw::ThreadWait(t, reinterpret_cast<uint64_t>(&sink)); },
      c.thread, Rights::kRead);
  Release(c);
}

CONFORMANCE_CASE(thread_waits_block_until_exit) {
  // The child waits for a flag we set after starting our wait... we cannot wait and set at
  // once, so the child spins on a flag set before Wait and we check the order of events.
  static volatile uint64_t flag;
  flag = 0;
  auto child = SpawnShared(WaitForFlag, reinterpret_cast<uint64_t>(&flag));
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  for (int i = 0; i < 20; ++i) (void)rt::Yield();  // let it run and spin
  flag = 9;
  uapi::ThreadExit exit = Wait(c);
  EXPECT_EQ(Reason(exit), kExited);
  EXPECT_EQ(exit.code, 9u);
  Release(c);
}

CONFORMANCE_CASE(thread_regs_of_a_new_thread) {
  auto child = SpawnShared(ExitWith, 0, /*start=*/false);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  uapi::ThreadRegs set = SharedChildRegs(ExitWith, 11, c.stack);
  set.rbx = 0xb;
  set.r15 = 0xf;
  set.rflags = 0x202 | 0x3000 | 0x100;  // IOPL 3 and TF must not stick
  EXPECT_OK(rt::ThreadSetRegs(c.thread, &set));
  auto got = rt::ThreadGetRegs(c.thread);
  EXPECT_OK(got);
  if (got.ok()) {
    EXPECT_EQ(got.value().rip, set.rip);
    EXPECT_EQ(got.value().rsp, set.rsp);
    EXPECT_EQ(got.value().rdi, set.rdi);
    EXPECT_EQ(got.value().rbx, 0xbu);
    EXPECT_EQ(got.value().r15, 0xfu);
    EXPECT_EQ(got.value().rflags & 0x3000, 0u);
    EXPECT_EQ(got.value().rflags & 0x100, 0u);
    EXPECT_EQ(got.value().rflags & 0x200, 0x200u);
  }
  // Bad register values.
  const uint64_t kBadAddresses[] = {0x0000'8000'0000'0000ull, 0xffff'ffff'8000'0000ull};
  for (uint64_t bad : kBadAddresses) {
    // (A bad rip is accepted and kills the thread: cases_hardening.cc.)
    uapi::ThreadRegs wrong = set;
    wrong.rsp = bad;
    EXPECT_STATUS(rt::ThreadSetRegs(c.thread, &wrong), Status::kInvalidArgument);
    wrong = set;
    wrong.fs_base = bad;
    EXPECT_STATUS(rt::ThreadSetRegs(c.thread, &wrong), Status::kInvalidArgument);
    wrong = set;
    wrong.gs_base = bad;
    EXPECT_STATUS(rt::ThreadSetRegs(c.thread, &wrong), Status::kInvalidArgument);
  }
  // Bad pointers.
  EXPECT_STATUS(rt::raw::ThreadGetRegs(c.thread, 0), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::ThreadGetRegs(c.thread, uapi::kRootBootInfoAddress), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::ThreadSetRegs(c.thread, 0xffff'8000'0000'0000ull), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::ThreadSetRegs(c.thread, 0x0000'3000'0000'0000ull), Status::kBadAddress);
  uapi::ThreadRegs sink{};
  const uint64_t out = reinterpret_cast<uint64_t>(&sink);
  ExpectThreadCapErrors([&](uint64_t t) { return rt::raw::ThreadGetRegs(t, out); }, c.thread,
                        Rights::kRead);
  ExpectThreadCapErrors([&](uint64_t t) { return rt::raw::ThreadSetRegs(t, out); }, c.thread,
                        Rights::kWrite);
  ExpectThreadCapErrors([&](uint64_t t) { return rt::raw::ThreadStart(t); }, c.thread,
                        Rights::kWrite);
  // The registers that were set are the ones it runs with.
  EXPECT_OK(rt::ThreadStart(c.thread));
  uapi::ThreadExit exit = Wait(c);
  EXPECT_EQ(exit.code, 11u);
  Release(c);
}

CONFORMANCE_CASE(thread_stop_inspect_redirect) {
  auto child = SpawnShared(Spin, 0);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  for (int i = 0; i < 5; ++i) (void)rt::Yield();
  // Running: registers are not available; starting again is refused.
  EXPECT_STATUS(rt::ThreadStart(c.thread), Status::kBusy);
  auto regs = StopAndGetRegs(c.thread);
  EXPECT_OK(regs);
  if (regs.ok()) {
    // It was spinning inside Spin (somewhere in our image).
    EXPECT_TRUE(regs.value().rip >= 0x40'0000 && regs.value().rip < 0x100'0000);
    EXPECT_EQ(regs.value().rflags & 0x200, 0x200u);
  }
  EXPECT_OK(rt::ThreadStop(c.thread));  // stopping a stopped thread is a no-op
  // Redirect it to exit with 5.
  const uapi::ThreadRegs redirect = SharedChildRegs(ExitWith, 5, c.stack);
  EXPECT_OK(rt::ThreadSetRegs(c.thread, &redirect));
  EXPECT_OK(rt::ThreadStart(c.thread));
  uapi::ThreadExit exit = Wait(c);
  EXPECT_EQ(Reason(exit), kExited);
  EXPECT_EQ(exit.code, 5u);
  ExpectThreadCapErrors([&](uint64_t t) { return rt::raw::ThreadStop(t); }, c.thread,
                        Rights::kWrite);
  Release(c);
}

CONFORMANCE_CASE(thread_priority_and_affinity) {
  auto child = SpawnShared(ExitWith, 3, /*start=*/false);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  for (unsigned priority = 0; priority <= uapi::kMaxPriority; ++priority) {
    EXPECT_OK(rt::ThreadSetPriority(c.thread, priority));
  }
  EXPECT_STATUS(rt::raw::ThreadSetPriority(c.thread, uapi::kMaxPriority + 1),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::ThreadSetPriority(c.thread, ~0ull), Status::kInvalidArgument);
  ExpectThreadCapErrors([&](uint64_t t) { return rt::raw::ThreadSetPriority(t, 1); }, c.thread,
                        Rights::kWrite);
  auto info = rt::SystemInfo();
  uint64_t cpus = info.ok() ? info.value().cpus_online : 1;
  EXPECT_OK(rt::ThreadSetAffinity(c.thread, 0));
  EXPECT_OK(rt::ThreadSetAffinity(c.thread, 1));
  EXPECT_OK(rt::ThreadSetAffinity(c.thread, ~0ull));
  if (cpus < 64) {
    EXPECT_STATUS(rt::ThreadSetAffinity(c.thread, uint64_t{1} << 63), Status::kInvalidArgument);
    EXPECT_STATUS(rt::ThreadSetAffinity(c.thread, uint64_t{1} << cpus), Status::kInvalidArgument);
  }
  ExpectThreadCapErrors([&](uint64_t t) { return rt::raw::ThreadSetAffinity(t, 1); }, c.thread,
                        Rights::kWrite);
  EXPECT_OK(rt::ThreadSetPriority(c.thread, uapi::kDefaultPriority));
  EXPECT_OK(rt::ThreadStart(c.thread));
  EXPECT_EQ(Wait(c).code, 3u);
  Release(c);
}

CONFORMANCE_CASE(thread_runs_on_every_cpu) {
  auto info = rt::SystemInfo();
  uint64_t cpus = info.ok() ? info.value().cpus_online : 1;
  for (uint64_t cpu = 0; cpu < cpus && cpu < 64; ++cpu) {
    auto child = SpawnShared(ExitWith, 100 + cpu, /*start=*/false);
    EXPECT_OK(child);
    if (!child.ok()) continue;
    Child c = child.value();
    EXPECT_OK(rt::ThreadSetAffinity(c.thread, uint64_t{1} << cpu));
    EXPECT_OK(rt::ThreadStart(c.thread));
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(exit.code, 100 + cpu);
    Release(c);
  }
}

CONFORMANCE_CASE(thread_many_at_once) {
  constexpr int kCount = 8;
  Child children[kCount];
  int spawned = 0;
  for (int i = 0; i < kCount; ++i) {
    auto child = SpawnShared(ExitWith, 200 + i);
    EXPECT_OK(child);
    if (child.ok()) children[spawned++] = child.value();
  }
  for (int i = 0; i < spawned; ++i) {
    EXPECT_EQ(Wait(children[i]).code, 200u + i);
    Release(children[i]);
  }
}

}  // namespace
}  // namespace hiillos::conformance
