// kernel/arch/x86_64/interrupt_controller_ktest.cc — in-kernel tests of the MMIO window, the
// local APIC set-up and IOAPIC routing (with the PIT's IRQ 0 as a real interrupt source).
#include <stdint.h>

#include "kernel/acpi/platform_acpi.h"
#include "kernel/arch/interrupts.h"
#include "kernel/arch/x86_64/cpu_features.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/interrupt_controllers.h"
#include "kernel/arch/x86_64/ioapic.h"
#include "kernel/arch/x86_64/ipi.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/mmio_window.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/vectors.h"
#include "kernel/mm/kernel_space.h"
#include "kernel/test/ktest.h"
#include "kernel/time/clock.h"
#include "lib/base/atomic.h"
#include "lib/x86/control_registers.h"
#include "lib/x86/cpu.h"
#include "lib/x86/port_io.h"

namespace hiillos::arch {
namespace {

constexpr uint8_t kTestIrqVector = 0xa0;
constexpr uint64_t kMillisecond = 1'000'000ull;

// Interrupts on for the scope (the tests need to take device interrupts), restored after.
using InterruptsOn = arch::InterruptEnableGuard;

}  // namespace

KTEST(mmio, window_maps_uncached_and_rejects_bad_ranges) {
  auto zero = MapMmio(0x1000, 0);
  KEXPECT(!zero.ok() && zero.error() == MmioError::kBadRange);
  auto wraps = MapMmio(~0ull - 0x10, 0x100);
  KEXPECT(!wraps.ok() && wraps.error() == MmioError::kBadRange);
  auto beyond = MapMmio(1ull << 52, 1);
  KEXPECT(!beyond.ok() && beyond.error() == MmioError::kBadRange);
  auto huge = MapMmio(0, kMmioWindowSize);
  KEXPECT(!huge.ok() && huge.error() == MmioError::kWindowFull);

  // Unaligned request: the page offset is kept, every touched page mapped, guard page after.
  auto mapped = MapMmio(0xfec0'0010, 0x1000);
  KASSERT(mapped.ok());
  uint64_t va = mapped.value();
  KEXPECT(InMmioWindow(va));
  KEXPECT_EQ(va & 0xfff, 0x010u);
  auto first = mm::KernelTranslate(va);
  KASSERT(first.ok());
  KEXPECT_EQ(first.value().phys, 0xfec0'0010u);  // the translation of va itself
  KEXPECT(first.value().attrs.uncached);
  KEXPECT(first.value().attrs.writable);
  KEXPECT(!first.value().attrs.executable);
  auto second = mm::KernelTranslate((va & ~0xfffull) + 0x1000);
  KASSERT(second.ok());
  KEXPECT_EQ(second.value().phys, 0xfec0'1000u);                  // page 2, offset 0
  KEXPECT(!mm::KernelTranslate((va & ~0xfffull) + 0x2000).ok());  // guard page
}

KTEST(lapic, mode_window_and_identity) {
  LapicMode mode = CurrentLapicMode();
  KEXPECT(mode == (Features().x2apic ? LapicMode::kX2apic : LapicMode::kXapic));
  if (mode == LapicMode::kXapic) {
    auto translation = mm::KernelTranslate(LapicWindow());
    KASSERT(translation.ok());
    KEXPECT_EQ(translation.value().phys, LapicPhysBase());
    KEXPECT(translation.value().attrs.uncached);
  }
  KEXPECT_EQ(LapicId(), CurrentCpu()->lapic_id);
  KEXPECT_EQ(LapicRead(kLapicSvr) & 0x1ff, 0x100u | kVectorSpurious);  // enabled, vector 0xff
  KEXPECT_EQ(LapicRead(kLapicLvtError) & 0x100ff, uint32_t{kVectorLapicError});
  KEXPECT_EQ(LapicErrorCount(), 0u);
}

KTEST(ioapic, isa_irqs_follow_the_madt_overrides) {
  const acpi::Madt& madt = acpi::PlatformAcpi().madt;
  for (uint8_t irq = 0; irq < 16; ++irq) {
    IrqRoute route = IsaIrqRoute(irq);
    const acpi::InterruptOverride* match = nullptr;
    for (uint32_t i = 0; i < madt.override_count && match == nullptr; ++i) {
      if (madt.overrides[i].source_irq == irq) match = &madt.overrides[i];
    }
    KEXPECT_EQ(route.gsi, match != nullptr ? match->gsi : irq);
    bool low = match != nullptr && match->polarity == acpi::Polarity::kActiveLow;
    bool level = match != nullptr && match->trigger == acpi::Trigger::kLevel;
    KEXPECT(route.polarity == (low ? IrqPolarity::kActiveLow : IrqPolarity::kActiveHigh));
    KEXPECT(route.trigger == (level ? IrqTrigger::kLevel : IrqTrigger::kEdge));
  }
}

KTEST(ioapic, every_line_is_masked_unless_routed) {
  KASSERT(IoApicCount() >= 1);
  KEXPECT(IoApicGsiCount() >= 24);
  for (uint32_t gsi = 0; gsi < IoApicGsiCount(); ++gsi) {
    auto entry = IoApicReadEntry(gsi);
    KASSERT(entry.ok());
    KEXPECT(entry.value() & kRedirectionMasked);
  }
}

KTEST(ioapic, route_rejects_bad_arguments) {
  IrqRoute route = IsaIrqRoute(0);
  auto low_vector =
      IoApicRoute(route.gsi, kFirstDeviceVector - 1, 0, route.polarity, route.trigger);
  KEXPECT(!low_vector.ok() && low_vector.error() == IoApicError::kBadVector);
  auto timer_vector = IoApicRoute(route.gsi, kVectorTimer, 0, route.polarity, route.trigger);
  KEXPECT(!timer_vector.ok() && timer_vector.error() == IoApicError::kBadVector);
  auto no_gsi = IoApicRoute(100'000, kTestIrqVector, 0, route.polarity, route.trigger);
  KEXPECT(!no_gsi.ok() && no_gsi.error() == IoApicError::kNoSuchGsi);
  auto no_cpu = IoApicRoute(route.gsi, kTestIrqVector, kMaxCpus - 1, route.polarity, route.trigger);
  KEXPECT(!no_cpu.ok() && no_cpu.error() == IoApicError::kBadCpu);
  auto far_cpu = IoApicRoute(route.gsi, kTestIrqVector, 5000, route.polarity, route.trigger);
  KEXPECT(!far_cpu.ok() && far_cpu.error() == IoApicError::kBadCpu);
  KEXPECT(!IoApicMask(100'000).ok());
  KEXPECT(!IoApicUnmask(100'000).ok());
  KEXPECT(!IoApicReadEntry(100'000).ok());
  // Nothing above changed the line.
  auto entry = IoApicReadEntry(route.gsi);
  KASSERT(entry.ok());
  KEXPECT(entry.value() & kRedirectionMasked);
}

namespace {

Atomic<uint64_t> g_irq_count[kMaxCpus];

void CountIrq(InterruptFrame&) {
  g_irq_count[CurrentCpu()->index].FetchAdd(1, MemoryOrder::kRelaxed);
  LapicEoi();
}

// PIT channel 0 as a 1 kHz rate generator (mode 2) on ISA IRQ 0; mode 0 with count 1 stops it
// after one more edge.
void PitStart1kHz() {
  constexpr uint16_t kCount = 1193;  // 1.193182 MHz / 1193 ~ 1 kHz
  x86::Out8(0x43, 0x34);             // channel 0, lobyte/hibyte, mode 2
  x86::Out8(0x40, kCount & 0xff);
  x86::Out8(0x40, kCount >> 8);
}
void PitStop() {
  x86::Out8(0x43, 0x30);  // channel 0, lobyte/hibyte, mode 0 (one shot)
  x86::Out8(0x40, 1);
  x86::Out8(0x40, 0);
}

uint64_t TotalIrqs() {
  uint64_t total = 0;
  for (uint32_t i = 0; i < kMaxCpus; ++i) total += g_irq_count[i].Load(MemoryOrder::kRelaxed);
  return total;
}

// PIT channel 0's current count (latched): in mode 2 it runs down from kCount to 1 and reloads,
// raising IRQ 0 at each reload.
uint16_t PitCount() {
  x86::Out8(0x43, 0x00);  // latch channel 0
  uint16_t low = x86::In8(0x40);
  uint16_t high = x86::In8(0x40);
  return static_cast<uint16_t>(low | (high << 8));
}

// Waits until the PIT has reloaded `periods` times (each reload is an IRQ 0 edge), by watching
// its count go up. Polling may miss reloads (then it waits longer), never count extra ones: so
// at least `periods` edges happened in the PIT's own time, however slowly this CPU runs. False
// only if the PIT stops (a bound of 10 s of guest time against hanging the suite).
bool WaitPitPeriods(uint64_t periods) {
  uint64_t deadline = time::NowNanoseconds() + 10'000 * kMillisecond;
  uint16_t last = PitCount();
  for (uint64_t seen = 0; seen < periods;) {
    uint16_t now = PitCount();
    if (now > last) ++seen;
    last = now;
    if (time::NowNanoseconds() > deadline) return false;
  }
  return true;
}

// Waits (bounded by 10 s of guest time, a hang guard only) until `cpu` has counted `count`
// interrupts.
bool WaitIrqs(uint32_t cpu, uint64_t count) {
  uint64_t deadline = time::NowNanoseconds() + 10'000 * kMillisecond;
  while (g_irq_count[cpu].Load(MemoryOrder::kRelaxed) < count) {
    if (time::NowNanoseconds() > deadline) return false;
    x86::Pause();
  }
  return true;
}

// True if this CPU's local APIC has kTestIrqVector pending (IRR) or in service (ISR).
bool TestVectorPendingHere() {
  constexpr uint32_t kLapicIsr = 0x100;
  constexpr uint32_t kLapicIrr = 0x200;
  uint32_t reg = 0x10u * (kTestIrqVector / 32);
  uint32_t bit = 1u << (kTestIrqVector % 32);
  return ((LapicRead(kLapicIrr + reg) | LapicRead(kLapicIsr + reg)) & bit) != 0;
}

void CheckPending(void* pending) {
  static_cast<Atomic<bool>*>(pending)->Store(TestVectorPendingHere(), MemoryOrder::kRelaxed);
}

// After the line is masked: waits until an edge the IOAPIC had already sent has been handled on
// `cpu` (it can sit in that CPU's IRR for as long as its vCPU is not scheduled by the host).
// The check runs on `cpu` itself, in a cross call between which the CPU takes the pending
// vector. False if it never drains (the same 10 s hang guard).
bool DrainIrqs(uint32_t cpu, uint32_t gsi) {
  uint64_t deadline = time::NowNanoseconds() + 10'000 * kMillisecond;
  for (;;) {
    auto entry = IoApicReadEntry(gsi);
    Atomic<bool> pending(true);
    bool sending = !entry.ok() || (entry.value() & (1u << 12)) != 0;  // delivery status
    if (!sending && RunOnCpu(cpu, CheckPending, &pending).ok() &&
        !pending.Load(MemoryOrder::kRelaxed)) {
      return true;
    }
    if (time::NowNanoseconds() > deadline) return false;
    x86::Pause();
  }
}

}  // namespace

// IRQ 0 through its override (GSI 2 on q35), to each CPU in turn: only that CPU counts it, the
// redirection entry says what was asked, and masking stops delivery. No step depends on how
// fast the host runs the guest: counts are awaited, a masked line is checked over PIT periods
// counted on the PIT itself, and edges already in flight are drained on their CPU first.
KTEST(ioapic, pit_irq_reaches_the_routed_cpu_and_masking_stops_it) {
  constexpr uint64_t kWanted = 5;          // interrupts the target must take while unmasked
  constexpr uint64_t kMaskedPeriods = 20;  // PIT edges that must not get through while masked
  KASSERT(SetInterruptHandler(kTestIrqVector, CountIrq).ok());
  IrqRoute route = IsaIrqRoute(0);
  InterruptsOn on;
  for (uint32_t cpu = 0; cpu < OnlineCpus(); ++cpu) {
    for (Atomic<uint64_t>& count : g_irq_count) count.Store(0, MemoryOrder::kRelaxed);
    KASSERT(IoApicRoute(route.gsi, kTestIrqVector, cpu, route.polarity, route.trigger).ok());
    auto entry = IoApicReadEntry(route.gsi);
    KASSERT(entry.ok());
    KEXPECT_EQ(entry.value(),
               EncodeRedirection(kTestIrqVector, static_cast<uint8_t>(PerCpuRecord(cpu).lapic_id),
                                 route.polarity, route.trigger, true));
    KASSERT(IoApicUnmask(route.gsi).ok());
    PitStart1kHz();
    KEXPECT(WaitIrqs(cpu, kWanted));
    KASSERT(IoApicMask(route.gsi).ok());
    KEXPECT(DrainIrqs(cpu, route.gsi));
    uint64_t on_target = g_irq_count[cpu].Load(MemoryOrder::kRelaxed);
    uint64_t total = TotalIrqs();
    KEXPECT(on_target >= kWanted);
    KEXPECT_EQ(total, on_target);  // no other CPU got any
    KEXPECT(WaitPitPeriods(kMaskedPeriods));
    KEXPECT_EQ(TotalIrqs(), total);  // masked: nothing more
    PitStop();
  }
  KEXPECT(ClearInterruptHandler(kTestIrqVector).ok());
}

}  // namespace hiillos::arch
