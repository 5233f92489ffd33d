// kernel/arch/x86_64/interrupt_ktest.cc — in-kernel tests of the IDT handler table and entry path.
#include <stdint.h>

#include "kernel/arch/x86_64/cpu_features.h"
#include "kernel/arch/x86_64/fault_report.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/interrupt_frame.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/segments.h"
#include "kernel/panic/kernel_symbols.h"
#include "kernel/test/ktest.h"
#include "lib/x86/control_registers.h"

namespace hiillos::arch {
namespace {

constexpr uint8_t kTestVector = 0x90;
constexpr uint8_t kUnusedVector = 0x92;

struct Seen {
  uint32_t calls;
  uint64_t vector;
  uint64_t cs;
  uint64_t rflags_in_handler;
  uint64_t gs_self;
  uint64_t backtrace[8];
  uint64_t backtrace_count;
};
Seen g_seen;

void RecordingHandler(InterruptFrame& frame) {
  ++g_seen.calls;
  g_seen.vector = frame.vector;
  g_seen.cs = frame.cs;
  g_seen.rflags_in_handler = x86::ReadRflags();
  g_seen.gs_self = reinterpret_cast<uint64_t>(CurrentCpu()->self);
  g_seen.backtrace_count =
      CollectBacktrace(frame.rip, reinterpret_cast<uint64_t>(__builtin_frame_address(0)), frame.rsp,
                       g_seen.backtrace, 8);
  frame.rax = 0x4242;  // the stub restores the edited frame
}

void OtherHandler(InterruptFrame&) {}

// Raises kTestVector from a named function, so backtraces can find it.
[[gnu::noinline]] uint64_t RaiseTestVector(uint64_t rax) {
  asm volatile("int %1" : "+a"(rax) : "i"(kTestVector) : "memory");
  return rax;
}

bool Contains(const char* text, const char* part) {
  for (; *text != '\0'; ++text) {
    const char* a = text;
    const char* b = part;
    while (*a != '\0' && *a == *b) ++a, ++b;
    if (*b == '\0') return true;
  }
  return false;
}

}  // namespace

KTEST(interrupts, registered_handler_runs_and_may_edit_the_frame) {
  g_seen = Seen{};
  KASSERT(SetInterruptHandler(kTestVector, RecordingHandler).ok());
  uint64_t rax = RaiseTestVector(7);
  KEXPECT_EQ(g_seen.calls, 1u);
  KEXPECT_EQ(g_seen.vector, kTestVector);
  KEXPECT_EQ(g_seen.cs, kKernelCodeSelector);
  KEXPECT_EQ(rax, 0x4242u);
  KEXPECT_EQ(g_seen.rflags_in_handler & x86::kRflagsInterrupt, 0u);  // interrupt gate: IF off
  KEXPECT_EQ(g_seen.gs_self, reinterpret_cast<uint64_t>(CurrentCpu()));
  KEXPECT(ClearInterruptHandler(kTestVector).ok());
}

KTEST(interrupts, handler_backtrace_reaches_the_interrupted_code) {
  g_seen = Seen{};
  KASSERT(SetInterruptHandler(kTestVector, RecordingHandler).ok());
  RaiseTestVector(0);
  KEXPECT(ClearInterruptHandler(kTestVector).ok());
  // #0 is the interrupted RIP (inside RaiseTestVector), then the RBP chain: its caller.
  KASSERT(g_seen.backtrace_count >= 3);
  auto interrupted = panic::LookupKernelSymbol(g_seen.backtrace[0]);
  KASSERT(interrupted.ok());
  KEXPECT(Contains(interrupted.value().name, "RaiseTestVector"));
  bool found_test = false;
  for (uint64_t i = 1; i < g_seen.backtrace_count; ++i) {
    auto hit = panic::LookupKernelSymbol(g_seen.backtrace[i] - 1);
    if (hit.ok() && Contains(hit.value().name, "handler_backtrace_reaches")) found_test = true;
  }
  KEXPECT(found_test);
}

KTEST(interrupts, handler_runs_with_ac_clear) {
  if (!Features().smap) return;  // nothing to check without SMAP
  g_seen = Seen{};
  KASSERT(SetInterruptHandler(kTestVector, RecordingHandler).ok());
  asm volatile("stac" ::: "memory", "cc");
  RaiseTestVector(0);
  uint64_t after = x86::ReadRflags();
  asm volatile("clac" ::: "memory", "cc");
  KEXPECT(ClearInterruptHandler(kTestVector).ok());
  KEXPECT_EQ(g_seen.rflags_in_handler & x86::kRflagsAlignmentCheck, 0u);
  KEXPECT((after & x86::kRflagsAlignmentCheck) != 0);  // IRETQ restored the interrupted RFLAGS
}

KTEST(interrupts, registration_errors) {
  KEXPECT_EQ(static_cast<int>(SetInterruptHandler(14, OtherHandler).error()),
             static_cast<int>(InterruptError::kReservedVector));
  KEXPECT_EQ(static_cast<int>(SetInterruptHandler(31, OtherHandler).error()),
             static_cast<int>(InterruptError::kReservedVector));
  KEXPECT_EQ(static_cast<int>(ClearInterruptHandler(0).error()),
             static_cast<int>(InterruptError::kReservedVector));
  KASSERT(SetInterruptHandler(kTestVector, RecordingHandler).ok());
  KEXPECT_EQ(static_cast<int>(SetInterruptHandler(kTestVector, OtherHandler).error()),
             static_cast<int>(InterruptError::kAlreadyRegistered));
  KEXPECT(GetInterruptHandler(kTestVector) == RecordingHandler);
  KEXPECT(ClearInterruptHandler(kTestVector).ok());
  KEXPECT(GetInterruptHandler(kTestVector) == nullptr);
  KEXPECT_EQ(static_cast<int>(ClearInterruptHandler(kTestVector).error()),
             static_cast<int>(InterruptError::kNotRegistered));
  // 0xff is the LAPIC spurious vector (vectors.h); 0xfa is unassigned.
  KEXPECT(SetInterruptHandler(0xfa, OtherHandler).ok());
  KEXPECT(ClearInterruptHandler(0xfa).ok());
}

KTEST(interrupts, unregistered_vector_is_survivable) {
  KASSERT(GetInterruptHandler(kUnusedVector) == nullptr);
  asm volatile("int %0" : : "i"(kUnusedVector) : "memory");
  asm volatile("int %0" : : "i"(kUnusedVector) : "memory");
  KEXPECT(true);  // reaching this line is the test
}

}  // namespace hiillos::arch
