// kernel/panic/cpu_reports.cc — the other CPUs' reports in a panic (protocol in cpu_reports.h).
#include "kernel/panic/cpu_reports.h"

#include "kernel/arch/cpu_local.h"
#include "kernel/arch/cross_call.h"
#include "kernel/arch/interrupts.h"
#include "kernel/arch/panic_support.h"
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

enum ReportState : uint32_t {
  kIdle = 0,    // no NMI taken (yet)
  kParked = 1,  // in the NMI handler, waiting to be asked
  kAsked = 2,   // the panicking CPU wants the report now
  kDone = 3,    // report printed; halting
};

struct alignas(64) ReportSlot {
  Atomic<uint32_t> state;
  Atomic<uint64_t> chunks_written;  // by the reporting CPU: its progress
  format::Sink sink;                // the panic's sink, while reporting
  void* sink_context;
};

ReportSlot g_slots[arch::kMaxCpus];
Atomic<bool> g_reports_over;
Atomic<ThreadWriter> g_thread_writer;

// Spins until slot `cpu` is in `state`; false after `spins` steps.
bool WaitForState(uint32_t cpu, uint32_t state, uint64_t spins) {
  for (uint64_t i = 0; i < spins; ++i) {
    if (g_slots[cpu].state.Load(MemoryOrder::kAcquire) == state) return true;
    arch::Interrupts::Relax();  // not arch::Pause: no cross calls are served in a panic
  }
  return g_slots[cpu].state.Load(MemoryOrder::kAcquire) == state;
}

// Waits until slot `cpu` is done, as long as its report makes progress; false if it stalls.
bool WaitForReport(uint32_t cpu) {
  ReportSlot& slot = g_slots[cpu];
  uint64_t seen = slot.chunks_written.Load(MemoryOrder::kAcquire);
  uint64_t idle = 0;
  while (slot.state.Load(MemoryOrder::kAcquire) != kDone) {
    uint64_t now = slot.chunks_written.Load(MemoryOrder::kAcquire);
    if (now != seen) {
      seen = now;
      idle = 0;
    } else if (++idle > kStallSpins) {
      return false;
    }
    arch::Interrupts::Relax();
  }
  return true;
}

// The reporting CPU's sink: the panic's sink, counting each chunk as progress.
void CountingSink(void* raw_slot, const char* text, size_t length) {
  auto* slot = static_cast<ReportSlot*>(raw_slot);
  slot->sink(slot->sink_context, text, length);
  slot->chunks_written.FetchAdd(1, MemoryOrder::kRelease);
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
    if (!WaitForState(cpu, kParked, kParkSpins)) {
      format::Format(sink, context, "cpu%u: no answer to the report NMI\n", cpu);
      continue;
    }
    g_slots[cpu].state.Store(kAsked, MemoryOrder::kRelease);
    if (!WaitForReport(cpu)) {
      format::Format(sink, context, "\ncpu%u: report not finished, going on without it\n", cpu);
    }
  }
  g_reports_over.Store(true, MemoryOrder::kRelease);
}

void ParkReportAndHalt(const arch::InterruptFrame& interrupted, format::Sink sink, void* context) {
  uint32_t cpu = arch::CpuIndexIfReady();
  if (cpu == arch::kNoCpu || cpu >= arch::kMaxCpus) arch::HaltForever();
  ReportSlot& slot = g_slots[cpu];
  slot.state.Store(kParked, MemoryOrder::kRelease);
  while (slot.state.Load(MemoryOrder::kAcquire) != kAsked) {
    if (g_reports_over.Load(MemoryOrder::kAcquire)) arch::HaltForever();
    arch::Interrupts::Relax();
  }
  slot.sink = sink;
  slot.sink_context = context;
  WriteReport(cpu, interrupted, CountingSink, &slot);
  slot.state.Store(kDone, MemoryOrder::kRelease);
  arch::HaltForever();
}

}  // namespace hiillos::panic
