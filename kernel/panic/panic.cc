// kernel/panic/panic.cc — the panic sequence: claim, stop other CPUs, dump, collect the other
// CPUs' reports, halt or exit QEMU.
#include "kernel/panic/panic.h"

#include "kernel/panic/assert.h"

#include <stdarg.h>
#include <stdint.h>

#include "kernel/arch/console.h"
#include "kernel/arch/cpu_local.h"
#include "kernel/arch/interrupts.h"
#include "kernel/arch/machine_exit.h"
#include "kernel/arch/panic_support.h"
#include "kernel/panic/cpu_reports.h"
#include "lib/base/atomic.h"
#include "lib/format/format.h"

namespace hiillos::panic {
namespace {

constexpr int32_t kNoCpu = -1;
constexpr int32_t kUnknownCpu = 0x7fff'ffff;  // a CPU without per-CPU data

// Which CPU owns the panic (kNoCpu if none). Claimed once; never released.
Atomic<int32_t> g_panic_cpu{kNoCpu};
bool g_test_mode;
Atomic<void (*)()> g_halt_other_cpus;
// The halt hook ran (the other CPUs got the NMI that parks them for their reports). Written
// only by the CPU that owns the panic.
bool g_others_nmied;

void SerialSink(void*, const char* text, size_t length) {
  arch::ConsoleWrite(text, length);
}

void Print(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void Print(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  format::VFormat(SerialSink, nullptr, fmt, args);
  va_end(args);
}

int32_t CpuIdForPanic() {
  uint32_t cpu = arch::CpuIndexIfReady();
  return cpu != arch::kNoCpu ? static_cast<int32_t>(cpu) : kUnknownCpu;
}

void PrintCpu(int32_t cpu) {
  if (cpu == kUnknownCpu) {
    Print("cpu?");
  } else {
    Print("cpu%d", cpu);
  }
}

[[noreturn]] void Stop() {
  if (g_test_mode) arch::ExitMachine(false);
  arch::HaltForever();
}

// Claims the panic for this CPU; returns only to the first panicking CPU.
void Enter() {
  arch::DisableInterrupts();
  int32_t me = CpuIdForPanic();
  int32_t expected = kNoCpu;
  if (g_panic_cpu.CompareExchange(expected, me, MemoryOrder::kAcqRel, MemoryOrder::kAcquire)) {
    return;
  }
  if (expected == me) {
    // Nested: something in the panic path itself failed. Say so (port I/O only) and stop.
    Print("\n*** nested panic on ");
    PrintCpu(me);
    Print(", halting ***\n");
    Stop();
  }
  arch::HaltForever();  // another CPU owns the panic and will end the run
}

void PrintHeader(int32_t cpu) {
  Print("\n==================== KERNEL PANIC on ");
  PrintCpu(cpu);
  Print(" ====================\n");
}

[[noreturn]] void DumpAndStop(const arch::InterruptFrame& frame, uint64_t cr2, int32_t cpu) {
  arch::WriteRegisters(SerialSink, nullptr, frame, cr2);
  arch::WriteBacktrace(SerialSink, nullptr, frame);
  if (cpu != kUnknownCpu && !arch::IstCanariesIntact(static_cast<uint32_t>(cpu))) {
    Print("warning: an IST stack canary of this CPU is overwritten (IST stack overflow)\n");
  }
  if (g_others_nmied && cpu != kUnknownCpu) {
    ReportOtherCpus(static_cast<uint32_t>(cpu), SerialSink, nullptr);
  }
  Print("==================== end of panic (");
  PrintCpu(cpu);
  Print(")%s ====================\n", g_test_mode ? ": exiting QEMU (test failed)" : ": halting");
  Stop();
}

void HaltOthers() {
  void (*hook)() = g_halt_other_cpus.Load(MemoryOrder::kAcquire);
  if (hook == nullptr) return;
  hook();
  g_others_nmied = true;
}

}  // namespace

void SetTestMode(bool test_mode) {
  g_test_mode = test_mode;
}
bool TestMode() {
  return g_test_mode;
}

void SetHaltOtherCpusHook(void (*hook)()) {
  g_halt_other_cpus.Store(hook, MemoryOrder::kRelease);
}

bool InProgress() {
  return g_panic_cpu.Load(MemoryOrder::kAcquire) != kNoCpu;
}

void HaltIfPanicking(const arch::InterruptFrame& interrupted) {
  int32_t owner = g_panic_cpu.Load(MemoryOrder::kAcquire);
  if (owner == kNoCpu) return;
  // An NMI on the panicking CPU itself is not the report request: let the handler go on.
  if (owner == CpuIdForPanic()) return;
  ParkReportAndHalt(interrupted, SerialSink, nullptr);
}

void PanicFromException(const arch::InterruptFrame& frame, uint64_t cr2) {
  Enter();
  HaltOthers();
  int32_t cpu = CpuIdForPanic();
  PrintHeader(cpu);
  arch::WriteExceptionLine(SerialSink, nullptr, frame);
  DumpAndStop(frame, cr2, cpu);
}

[[gnu::noinline]] void AssertionFailed(const char* expression, const char* message,
                                       const char* file, int line) {
  arch::InterruptFrame frame;
  CaptureFrame(&frame);
  Enter();
  HaltOthers();
  int32_t cpu = CpuIdForPanic();
  PrintHeader(cpu);
  Print("panic: ASSERT(%s) failed at %s:%d: %s\n", expression, file, line, message);
  DumpAndStop(frame, 0, cpu);
}

namespace {

[[noreturn]] void PanicWithFrame(const arch::InterruptFrame& frame, const char* fmt, va_list args) {
  Enter();
  HaltOthers();
  int32_t cpu = CpuIdForPanic();
  PrintHeader(cpu);
  Print("panic: ");
  format::VFormat(SerialSink, nullptr, fmt, args);
  Print("\n");
  DumpAndStop(frame, 0, cpu);
}

}  // namespace

[[gnu::noinline]] void Panic(const char* fmt, ...) {
  arch::InterruptFrame frame;
  CaptureFrame(&frame);
  va_list args;
  va_start(args, fmt);
  PanicWithFrame(frame, fmt, args);
}

[[gnu::noinline]] void VPanic(const char* fmt, va_list args) {
  arch::InterruptFrame frame;
  CaptureFrame(&frame);
  PanicWithFrame(frame, fmt, args);
}

}  // namespace hiillos::panic
