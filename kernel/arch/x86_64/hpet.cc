// kernel/arch/x86_64/hpet.cc — HPET register block (spec §2.3: capabilities at 0x000,
// configuration at 0x010, interrupt status at 0x020, main counter at 0x0f0, timer N at 0x100+).
#include "kernel/arch/x86_64/hpet.h"

#include "kernel/arch/x86_64/mmio_window.h"
#include "lib/base/atomic.h"
#include "lib/time/time_math.h"
#include "lib/x86/cpu.h"

namespace hiillos::arch {
namespace {

constexpr uint64_t kBlockSize = 0x400;
constexpr uint32_t kCapabilities = 0x000;
constexpr uint32_t kConfiguration = 0x010;
constexpr uint32_t kInterruptStatus = 0x020;
constexpr uint32_t kMainCounter = 0x0f0;
constexpr uint32_t kTimerConfig0 = 0x100;  // timer N at 0x100 + 0x20 * N
constexpr uint64_t kCapCounter64 = 1ull << 13;
constexpr uint64_t kConfEnable = 1ull << 0;
constexpr uint64_t kConfLegacyReplacement = 1ull << 1;
constexpr uint64_t kTimerInterruptEnable = 1ull << 2;

// Set by HpetInit on the boot CPU before other CPUs start; read-only afterwards.
uint64_t g_base;
uint64_t g_period_fs;
bool g_counter64;
uint32_t g_comparators;
bool g_available;
// Last extended value of a 32-bit counter (updated with compare-exchange from any CPU).
Atomic<uint64_t> g_last32;

uint64_t Read64(uint32_t reg) {
  return *reinterpret_cast<volatile uint64_t*>(g_base + reg);
}
uint32_t Read32(uint32_t reg) {
  return *reinterpret_cast<volatile uint32_t*>(g_base + reg);
}
void Write64(uint32_t reg, uint64_t value) {
  *reinterpret_cast<volatile uint64_t*>(g_base + reg) = value;
}

uint64_t Extend32(uint32_t now) {
  uint64_t last = g_last32.Load(MemoryOrder::kRelaxed);
  for (;;) {
    uint64_t extended = (last & ~0xffff'ffffull) | now;
    if (extended < last) extended += 1ull << 32;  // wrapped since the last read
    if (g_last32.CompareExchange(last, extended, MemoryOrder::kRelaxed, MemoryOrder::kRelaxed)) {
      return extended;
    }
    if (last >= extended) return last;  // another CPU already published a later value
  }
}

}  // namespace

Result<void, HpetError> HpetInit(uint64_t phys) {
  auto window = MapMmio(phys, kBlockSize);
  if (!window.ok()) return Err(HpetError::kMapFailed);
  g_base = window.value();
  uint64_t caps = Read64(kCapabilities);
  uint64_t period = caps >> 32;
  if (period == 0 || period > kHpetMaxPeriodFs) return Err(HpetError::kBadPeriod);
  g_period_fs = period;
  g_counter64 = (caps & kCapCounter64) != 0;
  g_comparators = static_cast<uint32_t>((caps >> 8) & 0x1f) + 1;

  // Halt, quiet every comparator, zero the counter (only allowed while halted), restart.
  Write64(kConfiguration, Read64(kConfiguration) & ~(kConfEnable | kConfLegacyReplacement));
  for (uint32_t n = 0; n < g_comparators; ++n) {
    uint32_t reg = kTimerConfig0 + 0x20 * n;
    Write64(reg, Read64(reg) & ~kTimerInterruptEnable);
  }
  Write64(kInterruptStatus, Read64(kInterruptStatus));  // write-1-to-clear
  Write64(kMainCounter, 0);
  g_last32.Store(0, MemoryOrder::kRelaxed);
  Write64(kConfiguration, Read64(kConfiguration) | kConfEnable);

  g_available = true;
  uint64_t first = HpetCounter();
  for (uint32_t spins = 0; spins < 1'000'000; ++spins) {
    if (HpetCounter() != first) return {};
    x86::Pause();
  }
  g_available = false;
  return Err(HpetError::kCounterStuck);
}

bool HpetAvailable() {
  return g_available;
}

uint64_t HpetCounter() {
  if (!g_available) return 0;
  if (g_counter64) return Read64(kMainCounter);
  return Extend32(Read32(kMainCounter));
}

uint64_t HpetPeriodFemtoseconds() {
  return g_period_fs;
}

uint64_t HpetFrequencyHz() {
  return g_period_fs == 0 ? 0 : 1'000'000'000'000'000ull / g_period_fs;
}

uint64_t HpetTicksToNanoseconds(uint64_t ticks) {
  return time::MulDiv(ticks, g_period_fs, time::kFemtosecondsPerNanosecond);
}

uint64_t HpetNanoseconds() {
  return HpetTicksToNanoseconds(HpetCounter());
}

bool HpetCounterIs64Bit() {
  return g_counter64;
}
uint32_t HpetComparatorCount() {
  return g_comparators;
}

}  // namespace hiillos::arch
