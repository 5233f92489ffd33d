// kernel/panic/cpu_reports.cc — the other CPUs' reports in a panic (protocol in cpu_reports.h).
#include "kernel/panic/cpu_reports.h"

#include "kernel/arch/cpu_local.h"
#include "kernel/arch/cross_call.h"
#include "kernel/arch/interrupts.h"
#include "kernel/arch/panic_support.h"
#include "kernel/panic/report_turn.h"
#include "lib/base/atomic.h"

namespace hiillos::panic {
namespace {

// Spin counts (PAUSE steps). Parking takes a live CPU a few thousand instructions after the
// NMI; a report is ~40 lines on the serial port, which at 115200 baud takes a good part of a
// second, so that wait is bounded by progress: it gives up only after kStallSpins steps in which
// the reporting CPU wrote nothing. The bounds only matter for a CPU that never answers or dies
// midway: they keep the panic from hanging on it.
constexpr uint64_t kParkSpins = 1ull << 24;
constexpr uint64_t kStallSpins = 1ull << 24;

struct alignas(64) ReportSlot {
  ReportTurn turn;
  format::Sink sink;  // the panic's sink, while this CPU reports
  void* sink_context;
};

ReportSlot g_slots[arch::kMaxCpus];
Atomic<bool> g_reports_over;
Atomic<ThreadWriter> g_thread_writer;

// Not arch::Pause: no cross calls are served in a panic.
void Relax() {
  arch::Interrupts::Relax();
}

// The reporting CPU's sink: the panic's sink, each chunk counted as progress.
void CountingSink(void* raw_slot, const char* text, size_t length) {
  auto* slot = static_cast<ReportSlot*>(raw_slot);
  slot->sink(slot->sink_context, text, length);
  slot->turn.Progress();
}

void WriteReport(uint32_t cpu, const arch::InterruptFrame& interrupted, format::Sink sink,
                 void* context) {
  format::Format(sink, context, "cpu%u: ", cpu);
  arch::WriteInterruptedAt(sink, context, interrupted);
  format::Format(sink, context, ", ");
  ThreadWriter writer = g_thread_writer.Load(MemoryOrder::kAcquire);
  if (writer != nullptr) {
    writer(sink, context);
  } else {
    format::Format(sink, context, "thread unknown (no scheduler)");
  }
  format::Format(sink, context, "\n");
  if (!arch::FromUserMode(interrupted)) arch::WriteBacktrace(sink, context, interrupted);
}

}  // namespace

void SetCurrentThreadWriter(ThreadWriter writer) {
  g_thread_writer.Store(writer, MemoryOrder::kRelease);
}

void ReportOtherCpus(uint32_t self, format::Sink sink, void* context) {
  uint64_t others = arch::OnlineCpuMask() & ~(1ull << self);
  if (others != 0) {
    format::Format(sink, context, "other CPUs (where the panic's NMI found them):\n");
  }
  for (; others != 0; others &= others - 1) {
    uint32_t cpu = static_cast<uint32_t>(__builtin_ctzll(others));
    if (cpu >= arch::kMaxCpus) break;
    switch (g_slots[cpu].turn.AskAndWait(kParkSpins, kStallSpins, Relax)) {
      case ReportTurn::Outcome::kReported:
        break;
      case ReportTurn::Outcome::kNoAnswer:
        format::Format(sink, context, "cpu%u: no answer to the report NMI\n", cpu);
        break;
      case ReportTurn::Outcome::kStalled:
        format::Format(sink, context, "\ncpu%u: report not finished, going on without it\n", cpu);
        break;
    }
  }
  g_reports_over.Store(true, MemoryOrder::kRelease);
}

void ParkReportAndHalt(const arch::InterruptFrame& interrupted, format::Sink sink, void* context) {
  uint32_t cpu = arch::CpuIndexIfReady();
  if (cpu == arch::kNoCpu || cpu >= arch::kMaxCpus) arch::HaltForever();
  ReportSlot& slot = g_slots[cpu];
  slot.turn.Park();
  if (!slot.turn.WaitUntilAsked(g_reports_over, Relax)) arch::HaltForever();
  slot.sink = sink;
  slot.sink_context = context;
  WriteReport(cpu, interrupted, CountingSink, &slot);
  slot.turn.Finish();
  arch::HaltForever();
}

}  // namespace hiillos::panic
