// kernel/boot/crash_switch.cc — deliberate crashes for boot tests of the panic dump.
#include "kernel/boot/crash_switch.h"

#include <stdint.h>

#include "kernel/arch/cross_call.h"
#include "kernel/arch/deliberate_faults.h"
#include "kernel/arch/interrupts.h"
#include "kernel/lib/log.h"
#include "kernel/object/thread.h"
#include "kernel/panic/assert.h"
#include "kernel/panic/panic.h"
#include "lib/base/atomic.h"

namespace hiillos::boot {
namespace {

volatile uint64_t g_one = 1;

// Each crash is its own non-inlined function so the backtrace shows it by name.
[[gnu::noinline]] void CrashWithPageFault() {
  *reinterpret_cast<volatile uint64_t*>(kCrashPageFaultAddress) = g_one;
}

[[gnu::noinline]] void CrashWithInvalidOpcode() {
  arch::DeliberateFaults::InvalidInstruction();
}

[[gnu::noinline]] void CrashWithGeneralProtection() {
  arch::DeliberateFaults::ProtectionFault();
}

[[gnu::noinline]] void CrashWithDivideError() {
  arch::DeliberateFaults::DivideByZero();
}

[[gnu::noinline]] void CrashWithBadStack() {
  // The #PF cannot be delivered on this stack; IST4 gives the handler a good one.
  arch::DeliberateFaults::FaultOnBadStack(0xdead0000);
}

[[gnu::noinline]] void CrashWithBadFramePointer() {
  // RBP points at unmapped kernel memory: the #PF handler's backtrace walk faults again (a
  // nested #PF on the IST stack, taken by its fault probe) and the dump still completes.
  arch::DeliberateFaults::FaultWithBadFramePointer(kCrashBadFramePointer, kCrashPageFaultAddress);
}

[[gnu::noinline]] void CrashWithPanic() {
  panic::Panic("deliberate panic (hiillos.crash=panic)");
}

[[gnu::noinline]] void CrashWithAssert() {
  ASSERT(g_one == 2, "deliberate assertion failure (hiillos.crash=assert)");
}

// The thread `crosscall` pins to CPU 1: it never returns, so CPU 1 runs it with interrupts off
// until the panic's NMI.
[[gnu::noinline]] void StuckCpuThread(void* spinning) {
  arch::DeliberateFaults::SpinWithInterruptsOff(static_cast<Atomic<bool>*>(spinning));
}

void DoNothing(void*) {}

// CPU 1 spins with interrupts off; a cross call to it from this CPU (the boot CPU: the main
// thread is pinned there) then times out and panics, and the panic's report of CPU 1 must name
// SpinWithInterruptsOff (testing/panic_smp_test.sh).
[[gnu::noinline]] void CrashWithStuckCrossCall() {
  if (arch::OnlineCpus() < 2) {
    klog::Log("panic", "hiillos.crash=crosscall needs a second CPU");
    return;
  }
  static Atomic<bool> spinning;
  auto thread = object::Thread::CreateKernel("stuck-cpu1", StuckCpuThread, &spinning);
  if (!thread.ok() || !thread.value()->SetAffinity(1ull << 1).ok() ||
      !thread.value()->Start().ok()) {
    klog::Log("panic", "hiillos.crash=crosscall: cannot start the thread for CPU 1");
    return;
  }
  while (!spinning.Load(MemoryOrder::kAcquire)) arch::Pause();
  klog::Log("panic", "cpu1 spins with interrupts off; a cross call to it must time out");
  (void)arch::RunOnCpu(1, DoNothing, nullptr);
}

struct Crash {
  const char* name;
  void (*function)();
};

constexpr Crash kCrashes[] = {
    {"pagefault", CrashWithPageFault},
    {"ud", CrashWithInvalidOpcode},
    {"gp", CrashWithGeneralProtection},
    {"divide", CrashWithDivideError},
    {"stack", CrashWithBadStack},
    {"badframe", CrashWithBadFramePointer},
    {"panic", CrashWithPanic},
    {"assert", CrashWithAssert},
    {"crosscall", CrashWithStuckCrossCall},
};

bool Equal(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

}  // namespace

void CrashIfRequested(const boot::CommandLine& command_line) {
  char kind[16];
  if (!command_line.Get("hiillos.crash", kind, sizeof(kind))) return;
  for (const Crash& crash : kCrashes) {
    if (Equal(kind, crash.name)) {
      klog::Log("panic", "hiillos.crash=%s: crashing on purpose", kind);
      crash.function();
      klog::Log("panic", "hiillos.crash=%s did not crash", kind);
      return;
    }
  }
  klog::Log("panic",
            "unknown hiillos.crash=%s (pagefault ud gp divide stack badframe panic assert "
            "crosscall)",
            kind);
}

}  // namespace hiillos::boot
