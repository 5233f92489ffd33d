// testing/conformance/cases_hardening.cc — entry paths that trust nothing (a thread that cannot
// return to the RIP it was given dies, not the kernel), priority authority (a process maximum
// and ProcessSetMaxPriority) and lifecycle races (dead processes take no thread and keep no
// capability; a thread asleep in ThreadWait can be stopped).
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::ExitReason;
using uapi::Rights;
using uapi::Status;

constexpr uint64_t kFaulted = static_cast<uint64_t>(ExitReason::kFaulted);
constexpr uint64_t kExited = static_cast<uint64_t>(ExitReason::kExited);
constexpr uint64_t kGeneralProtection = 13;
constexpr uint64_t kPageFault = 14;

void ExitWith(uint64_t code) {
  rt::ThreadExit(code);
}

void Spin(uint64_t) {
  for (;;) asm volatile("pause");
}

// --- entry paths ---------------------------------------------------------------------------

// A RIP the thread cannot return to is accepted by ThreadSetRegs; the return to user mode then
// faults (IRETQ refuses a non-canonical RIP on hardware that checks it there; emulators fault on
// the fetch in ring 3) and the thread is killed with the fault, never the kernel.
CONFORMANCE_CASE(return_to_a_bad_rip_kills_only_the_thread) {
  struct BadRip {
    uint64_t rip;
    uint64_t vector;
  };
  const BadRip kCases[] = {
      {0x0000'8000'0000'0000ull, kGeneralProtection},  // first non-canonical address
      {0xdead'beef'0000'0000ull, kGeneralProtection},  // deep in the hole
      {0x7fff'0000'0000'0000ull, kGeneralProtection},  // bit 62 set, bit 63 clear
      // Canonical, kernel half: #PF in ring 3 architecturally (QEMU's TCG raises #GP).
      {0xffff'8000'0000'0000ull, kPageFault},
  };
  for (const BadRip& bad : kCases) {
    auto child = SpawnShared(ExitWith, 0, /*start=*/false);
    EXPECT_OK(child);
    if (!child.ok()) return;
    Child c = child.value();
    uapi::ThreadRegs regs = SharedChildRegs(ExitWith, 0, c.stack);
    regs.rip = bad.rip;
    regs.rflags = ~0ull;  // sanitised on the way (IOPL, TF, NT, VM... never reach ring 3)
    EXPECT_OK(rt::ThreadSetRegs(c.thread, &regs));
    EXPECT_OK(rt::ThreadStart(c.thread));
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted);
    if (bad.vector == kPageFault) {
      EXPECT_TRUE(exit.code == kPageFault || exit.code == kGeneralProtection);
    } else {
      EXPECT_EQ(exit.code, bad.vector);
    }
    EXPECT_EQ(exit.fault_addr, bad.rip);
    Release(c);
  }
}

// The same for a thread that already ran: stopped, given a bad RIP, started again.
CONFORMANCE_CASE(restart_at_a_bad_rip_kills_only_the_thread) {
  auto child = SpawnShared(Spin, 0);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  auto regs = StopAndGetRegs(c.thread);
  EXPECT_OK(regs);
  if (regs.ok()) {
    uapi::ThreadRegs bad = regs.value();
    bad.rip = 0x0000'8000'0000'1000ull;
    EXPECT_OK(rt::ThreadSetRegs(c.thread, &bad));
    EXPECT_OK(rt::ThreadStart(c.thread));
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted);
    EXPECT_EQ(exit.code, kGeneralProtection);
  }
  Release(c);
}

// Values that would fault in ring 0 if loaded (stack pointer, TLS bases) are refused.
CONFORMANCE_CASE(set_regs_refuses_what_the_kernel_would_load) {
  auto child = SpawnShared(ExitWith, 0, /*start=*/false);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  const uapi::ThreadRegs good = SharedChildRegs(ExitWith, 5, c.stack);
  const uint64_t kBad[] = {0x0000'8000'0000'0000ull, 0xffff'ffff'8000'0000ull, ~0ull};
  for (uint64_t bad : kBad) {
    uapi::ThreadRegs wrong = good;
    wrong.rsp = bad;
    EXPECT_STATUS(rt::ThreadSetRegs(c.thread, &wrong), Status::kInvalidArgument);
    wrong = good;
    wrong.fs_base = bad;
    EXPECT_STATUS(rt::ThreadSetRegs(c.thread, &wrong), Status::kInvalidArgument);
    wrong = good;
    wrong.gs_base = bad;
    EXPECT_STATUS(rt::ThreadSetRegs(c.thread, &wrong), Status::kInvalidArgument);
  }
  // Nothing of the refused calls stuck: it runs from the good registers.
  EXPECT_OK(rt::ThreadSetRegs(c.thread, &good));
  EXPECT_OK(rt::ThreadStart(c.thread));
  uapi::ThreadExit exit = Wait(c);
  EXPECT_EQ(static_cast<uint64_t>(exit.reason), kExited);
  EXPECT_EQ(exit.code, 5u);
  Release(c);
}

// --- priority authority ----------------------------------------------------------------------

CONFORMANCE_CASE(thread_priority_is_bounded_by_its_process_maximum) {
  auto child = SpawnShared(ExitWith, 0, /*start=*/false);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  // A new process may use everything its creator may (the suite: the highest level).
  EXPECT_OK(rt::ThreadSetPriority(c.thread, uapi::kMaxPriority));
  EXPECT_OK(rt::ProcessSetMaxPriority(c.process, 1));
  EXPECT_STATUS(rt::ThreadSetPriority(c.thread, 2), Status::kPermissionDenied);
  EXPECT_STATUS(rt::ThreadSetPriority(c.thread, uapi::kMaxPriority), Status::kPermissionDenied);
  EXPECT_OK(rt::ThreadSetPriority(c.thread, 1));
  EXPECT_OK(rt::ThreadSetPriority(c.thread, 0));
  // Raised again (up to the caller's own maximum), it allows more again.
  EXPECT_OK(rt::ProcessSetMaxPriority(c.process, uapi::kMaxPriority));
  EXPECT_OK(rt::ThreadSetPriority(c.thread, uapi::kMaxPriority));
  // Argument errors.
  EXPECT_STATUS(rt::raw::ProcessSetMaxPriority(c.process, uapi::kMaxPriority + 1),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::ProcessSetMaxPriority(c.process, ~0ull), Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::ProcessSetMaxPriority(0, 1), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::ProcessSetMaxPriority(c.thread, 1), Status::kWrongType);
  auto read_only = rt::CapDerive(c.process, Rights::kRead);
  EXPECT_OK(read_only);
  if (read_only.ok()) {
    EXPECT_STATUS(rt::ProcessSetMaxPriority(read_only.value(), 1), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(read_only.value()));
  }
  EXPECT_OK(rt::ThreadStart(c.thread));
  EXPECT_EQ(static_cast<uint64_t>(Wait(c).reason), kExited);
  Release(c);
}

// What a process whose maximum is 1 may do with its own process and thread; the result is one
// bit per check in its exit code.
struct LimitedArgs {
  Handle own_process;  // the child's handles (given to it)
  Handle own_thread;
};
LimitedArgs g_limited;

bool Denied(const Result<void, Status>& result) {
  return !result.ok() && result.error() == Status::kPermissionDenied;
}

void LimitedChild(uint64_t) {
  uint64_t bits = 0;
  // Never above its own maximum, for itself or anyone.
  if (Denied(rt::ProcessSetMaxPriority(g_limited.own_process, 2))) {
    bits |= 1;
  }
  if (Denied(rt::ThreadSetPriority(g_limited.own_thread, 2))) {
    bits |= 2;
  }
  if (rt::ThreadSetPriority(g_limited.own_thread, 1).ok()) bits |= 4;
  // Lowering itself is allowed; raising back above the new maximum is not.
  if (rt::ProcessSetMaxPriority(g_limited.own_process, 0).ok()) bits |= 8;
  if (Denied(rt::ProcessSetMaxPriority(g_limited.own_process, 1))) {
    bits |= 16;
  }
  if (Denied(rt::ThreadSetPriority(g_limited.own_thread, 1))) {
    bits |= 32;
  }
  rt::ThreadExit(bits);
}

CONFORMANCE_CASE(process_maximum_cannot_be_raised_above_the_callers_own) {
  auto child = SpawnShared(LimitedChild, 0, /*start=*/false);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  EXPECT_OK(rt::ProcessSetMaxPriority(c.process, 1));
  auto own_process = rt::ProcessGiveCap(c.process, c.process, Rights::kRead | Rights::kWrite);
  auto own_thread = rt::ProcessGiveCap(c.process, c.thread, Rights::kRead | Rights::kWrite);
  EXPECT_OK(own_process);
  EXPECT_OK(own_thread);
  if (own_process.ok() && own_thread.ok()) {
    g_limited = {own_process.value(), own_thread.value()};
    EXPECT_OK(rt::ThreadStart(c.thread));
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), kExited);
    EXPECT_EQ(exit.code, 63u);
  }
  Release(c);
}

// --- lifecycle -------------------------------------------------------------------------------

// Once its last live thread has exited, a process is dead: its other (never started) threads
// never run, it gets no new threads and no capabilities.
CONFORMANCE_CASE(a_dead_process_runs_no_thread_and_takes_no_capability) {
  auto child = SpawnShared(ExitWith, 3, /*start=*/false);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  auto spare = rt::MemoryAllocThread(kMemory, c.process);
  EXPECT_OK(spare);
  EXPECT_OK(rt::ThreadStart(c.thread));
  uapi::ThreadExit exit = Wait(c);
  EXPECT_EQ(static_cast<uint64_t>(exit.reason), kExited);
  if (spare.ok()) {
    const uapi::ThreadRegs regs = SharedChildRegs(ExitWith, 4, c.stack);
    EXPECT_OK(rt::ThreadSetRegs(spare.value(), &regs));
    EXPECT_STATUS(rt::ThreadStart(spare.value()), Status::kDead);
    EXPECT_STATUS(rt::ThreadStart(spare.value()), Status::kDead);  // and stays so
    auto regs_back = rt::ThreadGetRegs(spare.value());             // still a new thread
    EXPECT_OK(regs_back);
    EXPECT_OK(rt::CapDelete(spare.value()));
  }
  EXPECT_STATUS(rt::MemoryAllocThread(kMemory, c.process), Status::kDead);
  EXPECT_STATUS(rt::ProcessGiveCap(c.process, kLog, Rights::kWrite), Status::kDead);
  Release(c);
}

// Grants racing with the death of the receiver (its only thread exits on another CPU while we
// grant): each grant either lands before the death and goes with the process, or fails with
// kDead. The leak check after the case finds any capability that outlived it.
CONFORMANCE_CASE(grants_racing_with_death_leave_nothing_behind) {
  for (int round = 0; round < 20; ++round) {
    auto child = SpawnShared(ExitWith, 0);
    EXPECT_OK(child);
    if (!child.ok()) return;
    Child c = child.value();
    // A few grants while it exits (bounded, so the capability table does not grow past what
    // the warm-up run made it).
    for (int i = 0; i < 32; ++i) {
      auto given = rt::ProcessGiveCap(c.process, kLog, Rights::kWrite);
      if (!given.ok()) {
        EXPECT_STATUS(given, Status::kDead);
        break;
      }
    }
    EXPECT_EQ(static_cast<uint64_t>(Wait(c).reason), kExited);
    EXPECT_STATUS(rt::ProcessGiveCap(c.process, kLog, Rights::kWrite), Status::kDead);
    Release(c);
  }
}

// A thread asleep in ThreadWait (on a thread that never exits) can be stopped: the wait returns
// kInterrupted, the stop takes effect on the way back, and when started again the thread sees
// the status in rax and goes on.
struct Waiter {
  volatile uint64_t ready;
  Handle target;  // the waiter's handle to the spinning thread
  volatile uint64_t release_spinner;
};
Waiter g_waiter;

// Spins until released, then exits (so the test ends it without a bounded stop poll).
void SpinUntilReleased(uint64_t) {
  while (g_waiter.release_spinner == 0) asm volatile("pause");
}

void WaitForever(uint64_t) {
  g_waiter.ready = 1;
  uapi::ThreadExit exit{};
  rt::SysResult result = rt::raw::ThreadWait(g_waiter.target, reinterpret_cast<uint64_t>(&exit));
  rt::ThreadExit(static_cast<uint64_t>(result.status));
}

CONFORMANCE_CASE(a_thread_blocked_in_thread_wait_can_be_stopped) {
  g_waiter = {0, 0, 0};
  auto spinner = SpawnShared(SpinUntilReleased, 0);
  EXPECT_OK(spinner);
  if (!spinner.ok()) return;
  Child s = spinner.value();
  auto end_spinner = [&] {
    g_waiter.release_spinner = 1;
    EXPECT_EQ(static_cast<uint64_t>(Wait(s).reason), kExited);
    Release(s);
  };
  auto waiter = SpawnShared(WaitForever, 0, /*start=*/false);
  EXPECT_OK(waiter);
  if (!waiter.ok()) {
    end_spinner();
    return;
  }
  Child w = waiter.value();
  auto target = rt::ProcessGiveCap(w.process, s.thread, Rights::kRead);
  EXPECT_OK(target);
  if (target.ok()) {
    g_waiter.target = target.value();
    EXPECT_OK(rt::ThreadStart(w.thread));
    while (g_waiter.ready == 0) (void)rt::Yield();
    // The stop may land before the waiter reaches ThreadWait (then it blocks when started
    // again); each round it is asleep in the wait it must come out with kInterrupted.
    bool interrupted = false;
    for (int round = 0; round < 50 && !interrupted; ++round) {
      auto regs = StopAndGetRegs(w.thread);
      EXPECT_OK(regs);  // an uninterruptible wait would never stop (kBusy)
      if (!regs.ok()) break;
      interrupted = regs.value().rax == static_cast<uint64_t>(Status::kInterrupted);
      EXPECT_OK(rt::ThreadStart(w.thread));
    }
    EXPECT_TRUE(interrupted);
    if (interrupted) {
      uapi::ThreadExit exit = Wait(w);
      EXPECT_EQ(static_cast<uint64_t>(exit.reason), kExited);
      EXPECT_EQ(exit.code, static_cast<uint64_t>(Status::kInterrupted));
    } else {
      (void)StopAndGetRegs(w.thread);
    }
  }
  Release(w);
  end_spinner();
}

}  // namespace
}  // namespace hiillos::conformance
