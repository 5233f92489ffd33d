// kernel/arch/x86_64/lapic_timer.cc — APIC timer calibration, start/stop and the tick handler.
#include "kernel/arch/x86_64/lapic_timer.h"

#include "kernel/arch/x86_64/cpu_features.h"
#include "kernel/arch/x86_64/hpet.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/kernel_services.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/vectors.h"
#include "lib/base/atomic.h"
#include "lib/time/time_math.h"
#include "lib/x86/cpu.h"
#include "lib/x86/msr.h"

namespace hiillos::arch {
namespace {

constexpr uint32_t kDivideBy16 = 0b0011;  // Divide Configuration Register (SDM Figure 10-10)
constexpr uint32_t kCalibrationMs = 10;
constexpr int kCalibrationRounds = 3;

// Boot CPU, before other CPUs start; read-only afterwards.
TimerMode g_mode = TimerMode::kNone;
uint64_t g_timer_hz;         // APIC timer input after the divider
uint32_t g_periodic_count;   // initial count for one tick in periodic mode
uint64_t g_deadline_period;  // TSC ticks per tick in TSC-deadline mode

Atomic<void (*)(InterruptFrame&)> g_tick_handler;

struct alignas(64) TickCounter {
  Atomic<uint64_t> ticks;  // written by its own CPU only
};
TickCounter g_ticks[kMaxCpus];

uint64_t ReferenceNanoseconds() {
  return HpetAvailable() ? HpetNanoseconds() : kernel_services::NowNanoseconds();
}

// One window: how far the timer counts down in kCalibrationMs of reference time.
uint64_t MeasureOnce() {
  LapicWrite(kLapicTimerDivide, kDivideBy16);
  LapicWrite(kLapicLvtTimer, kLvtMasked | kVectorTimer);  // one-shot, masked
  uint64_t start_ns = ReferenceNanoseconds();
  LapicWrite(kLapicTimerInitial, 0xffff'ffff);
  while (ReferenceNanoseconds() - start_ns < kCalibrationMs * 1'000'000ull) x86::Pause();
  uint32_t remaining = LapicRead(kLapicTimerCurrent);
  uint64_t elapsed_ns = ReferenceNanoseconds() - start_ns;
  LapicWrite(kLapicTimerInitial, 0);  // stop
  return time::FrequencyHz(0xffff'ffffull - remaining, elapsed_ns);
}

void TickInterrupt(InterruptFrame& frame) {
  PerCpu* cpu = CurrentCpu();
  uint64_t ticks = g_ticks[cpu->index].ticks.Load(MemoryOrder::kRelaxed) + 1;
  g_ticks[cpu->index].ticks.Store(ticks, MemoryOrder::kRelaxed);
  // One line per CPU once its timer has run for a second, so a boot log shows every CPU ticking.
  if (ticks == kTickHz)
    kernel_services::Log("timer", "%lu ticks on this CPU (tick %u Hz)", ticks, kTickHz);
  if (g_mode == TimerMode::kTscDeadline)
    x86::WriteMsr(kMsrTscDeadline, x86::ReadTsc() + g_deadline_period);
  LapicEoi();
  void (*handler)(InterruptFrame&) = g_tick_handler.Load(MemoryOrder::kAcquire);
  if (handler != nullptr) handler(frame);
}

}  // namespace

uint64_t LapicTimerCalibrate(uint64_t tsc_hz) {
  uint64_t samples[kCalibrationRounds];
  for (int i = 0; i < kCalibrationRounds; ++i) {
    uint64_t value = MeasureOnce();
    int j = i;
    for (; j > 0 && samples[j - 1] > value; --j) samples[j] = samples[j - 1];
    samples[j] = value;
  }
  g_timer_hz = samples[kCalibrationRounds / 2];
  if (g_timer_hz < kTickHz)
    kernel_services::Panic("lapic timer: it does not count (%lu Hz)", g_timer_hz);
  uint64_t count = g_timer_hz / kTickHz;
  g_periodic_count = count > 0xffff'ffffull ? 0xffff'ffffu : static_cast<uint32_t>(count);
  g_deadline_period = tsc_hz / kTickHz;
  g_mode = Features().tsc_deadline && g_deadline_period != 0 ? TimerMode::kTscDeadline
                                                             : TimerMode::kPeriodic;
  if (!SetInterruptHandler(kVectorTimer, TickInterrupt).ok()) {
    kernel_services::Panic("lapic timer: vector %#x already taken", kVectorTimer);
  }
  return g_timer_hz;
}

void LapicTimerStartThisCpu() {
  if (g_mode == TimerMode::kTscDeadline) {
    LapicWrite(kLapicLvtTimer, kLvtTimerTscDeadline | kVectorTimer);
    // The LVT write must be ordered before the first IA32_TSC_DEADLINE write (SDM §10.5.4.1).
    asm volatile("mfence" ::: "memory");
    x86::WriteMsr(kMsrTscDeadline, x86::ReadTsc() + g_deadline_period);
  } else {
    LapicWrite(kLapicTimerDivide, kDivideBy16);
    LapicWrite(kLapicLvtTimer, kLvtTimerPeriodic | kVectorTimer);
    LapicWrite(kLapicTimerInitial, g_periodic_count);
  }
}

void LapicTimerStopThisCpu() {
  LapicWrite(kLapicLvtTimer, kLvtMasked | kVectorTimer);
  if (g_mode == TimerMode::kTscDeadline) {
    x86::WriteMsr(kMsrTscDeadline, 0);
  } else {
    LapicWrite(kLapicTimerInitial, 0);
  }
}

void SetTimerTickHandler(void (*handler)(InterruptFrame& frame)) {
  g_tick_handler.Store(handler, MemoryOrder::kRelease);
}

TimerTickHandler GetTimerTickHandler() {
  return g_tick_handler.Load(MemoryOrder::kAcquire);
}

uint64_t TimerTicks(uint32_t cpu_index) {
  if (cpu_index >= kMaxCpus) return 0;
  return g_ticks[cpu_index].ticks.Load(MemoryOrder::kRelaxed);
}

TimerMode CurrentTimerMode() {
  return g_mode;
}
uint64_t LapicTimerHz() {
  return g_timer_hz;
}

}  // namespace hiillos::arch
