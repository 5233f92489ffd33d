// kernel/boot/time_init.cc — the order of the time set-up and its log lines.
#include "kernel/boot/time_init.h"

#include "kernel/arch/clock_source.h"
#include "kernel/arch/timer.h"
#include "kernel/lib/log.h"
#include "kernel/panic/panic.h"
#include "kernel/time/clock.h"

namespace hiillos::boot {
namespace {

constexpr uint32_t kHpetWindowMs = 10;
constexpr int kHpetRounds = 5;
constexpr uint32_t kPitWindowMs = 50;  // the PIT's 16-bit count allows up to ~54 ms
constexpr int kPitRounds = 3;
constexpr int kMaxRounds = 9;

TscReference g_reference = TscReference::kNone;  // boot CPU, once

template <typename Measure>
uint64_t Median(int rounds, Measure measure) {
  uint64_t samples[kMaxRounds];
  if (rounds < 1) rounds = 1;
  if (rounds > kMaxRounds) rounds = kMaxRounds;
  for (int i = 0; i < rounds; ++i) {
    uint64_t value = measure();
    int j = i;
    for (; j > 0 && samples[j - 1] > value; --j) samples[j] = samples[j - 1];
    samples[j] = value;
  }
  return samples[rounds / 2];
}

const char* HpetErrorName(arch::HpetError error) {
  switch (error) {
    case arch::HpetError::kMapFailed:
      return "cannot map it";
    case arch::HpetError::kBadPeriod:
      return "bad counter period";
    case arch::HpetError::kCounterStuck:
      return "counter does not count";
  }
  return "?";
}

}  // namespace

uint64_t MeasureTscHzAgainstHpet(uint32_t milliseconds, int rounds) {
  if (!arch::HpetAvailable()) return 0;
  return Median(rounds, [&] { return arch::MeasureTscHzWithHpet(milliseconds); });
}

void PlatformTimeInit(const acpi::AcpiInfo& acpi) {
  if (acpi.hpet.valid()) {
    auto hpet = arch::HpetInit(acpi.hpet.value.base_address);
    if (hpet.ok()) {
      klog::Log("time", "HPET at %#lx: %lu Hz (period %lu fs), %s counter, %u comparators",
                acpi.hpet.value.base_address, arch::HpetFrequencyHz(),
                arch::HpetPeriodFemtoseconds(), arch::HpetCounterIs64Bit() ? "64-bit" : "32-bit",
                arch::HpetComparatorCount());
    } else {
      klog::Log("time", "HPET at %#lx unusable: %s", acpi.hpet.value.base_address,
                HpetErrorName(hpet.error()));
    }
  }

  uint64_t early_hz = time::TscHz();
  uint64_t hz = 0;
  if (arch::HpetAvailable()) {
    hz = MeasureTscHzAgainstHpet(kHpetWindowMs, kHpetRounds);
    g_reference = TscReference::kHpet;
  } else {
    hz = Median(kPitRounds, [] { return arch::MeasureTscHzWithPit(kPitWindowMs); });
    g_reference = TscReference::kPit;
  }
  if (hz == 0) {
    if (early_hz == 0) panic::Panic("time: neither the HPET nor the PIT can calibrate the TSC");
    hz = early_hz;  // keep the stage-1 estimate
    g_reference = TscReference::kPit;
  }
  time::ClockRecalibrate(hz);
  klog::Log("time", "TSC %lu kHz (calibrated against the %s; early PIT estimate %lu kHz), %s",
            hz / 1000, g_reference == TscReference::kHpet ? "HPET" : "PIT", early_hz / 1000,
            arch::CycleCounterInvariant() ? "invariant" : "not marked invariant");

  uint64_t timer_hz = arch::LapicTimerCalibrate(time::TscHz());
  arch::LapicTimerStartThisCpu();
  klog::Log(
      "time", "LAPIC timer %lu kHz after divide-by-16; tick %u Hz in %s mode", timer_hz / 1000,
      arch::kTickHz,
      arch::CurrentTimerMode() == arch::TimerMode::kTscDeadline ? "TSC-deadline" : "periodic");
}

TscReference CurrentTscReference() {
  return g_reference;
}

}  // namespace hiillos::boot
