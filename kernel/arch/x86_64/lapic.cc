// kernel/arch/x86_64/lapic.cc — local APIC register access, per-CPU programming and IPIs.
#include "kernel/arch/x86_64/lapic.h"

#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/kernel_services.h"
#include "kernel/arch/x86_64/vectors.h"
#include "lib/base/atomic.h"
#include "lib/x86/control_registers.h"
#include "lib/x86/cpu.h"
#include "lib/x86/msr.h"

namespace hiillos::arch {
namespace {

// ICR fields (SDM §10.6.1, Figure 10-12).
constexpr uint32_t kIcrFixed = 0b000u << 8;
constexpr uint32_t kIcrNmi = 0b100u << 8;
constexpr uint32_t kIcrInit = 0b101u << 8;
constexpr uint32_t kIcrStartup = 0b110u << 8;
constexpr uint32_t kIcrDeliveryPending = 1u << 12;  // xAPIC only
constexpr uint32_t kIcrAssert = 1u << 14;
constexpr uint32_t kIcrAllButSelf = 0b11u << 18;
constexpr uint32_t kSvrEnable = 1u << 8;
constexpr uint32_t kX2apicMsrBase = 0x800;

// Written by the boot CPU before other CPUs start; read-only afterwards.
LapicMode g_mode = LapicMode::kNone;
volatile uint32_t* g_xapic = nullptr;

Atomic<uint64_t> g_spurious_count;
Atomic<uint64_t> g_error_count;

bool X2apic() {
  return g_mode == LapicMode::kX2apic;
}

// xAPIC: a new IPI may only be written once the previous one left (delivery status idle).
void WaitIcrIdle() {
  if (X2apic()) return;
  for (uint32_t spins = 0; spins < 1'000'000; ++spins) {
    if ((LapicRead(kLapicIcrLow) & kIcrDeliveryPending) == 0) return;
    x86::Pause();
  }
}

// Writes destination and command as one unit: with interrupts on, a handler sending its own
// IPI between the two xAPIC writes would replace our destination.
void SendIcr(uint32_t apic_id, uint32_t low) {
  uint64_t flags = x86::ReadRflags();
  x86::DisableInterrupts();
  if (X2apic()) {
    // x2APIC: one 64-bit MSR write, destination in bits 63:32 (SDM §10.12.9). WRMSR to the
    // x2APIC range is not serialising (SDM §10.12.3): fence so the target sees our earlier
    // stores (e.g. a cross-call request) when the interrupt arrives.
    asm volatile("mfence; lfence" ::: "memory");
    x86::WriteMsr(kX2apicMsrBase + (kLapicIcrLow >> 4),
                  (static_cast<uint64_t>(apic_id) << 32) | low);
  } else {
    WaitIcrIdle();
    LapicWrite(kLapicIcrHigh, apic_id << 24);
    LapicWrite(kLapicIcrLow, low);
    WaitIcrIdle();
  }
  if (flags & x86::kRflagsInterrupt) x86::EnableInterrupts();
}

void SpuriousHandler(InterruptFrame&) {
  // No EOI for the spurious vector (SDM §10.9).
  g_spurious_count.FetchAdd(1, MemoryOrder::kRelaxed);
}

void ErrorHandler(InterruptFrame&) {
  // The ESR latches on a write; read it right after (SDM §10.5.3).
  LapicWrite(kLapicEsr, 0);
  uint32_t esr = LapicRead(kLapicEsr);
  uint64_t seen = g_error_count.FetchAdd(1, MemoryOrder::kRelaxed);
  if (seen < 8) kernel_services::Log("lapic", "APIC error, ESR %#x", esr);
  LapicEoi();
}

uint32_t LintValue(const LintConfig& lint) {
  if (!lint.nmi) return kLvtMasked;
  // NMI delivery is always edge triggered (trigger bit ignored, SDM §10.5.1).
  return kLvtDeliveryNmi | (lint.active_low ? kLvtActiveLow : 0);
}

}  // namespace

LapicMode LapicChooseMode() {
  if ((x86::Cpuid(1).edx & (1u << 9)) == 0)
    kernel_services::Panic("lapic: this CPU has no local APIC");
  if (x86::ReadMsr(kMsrApicBase) & kApicBaseX2apic) return LapicMode::kX2apic;  // firmware chose it
  if (x86::Cpuid(1).ecx & (1u << 21)) return LapicMode::kX2apic;
  return LapicMode::kXapic;
}

uint64_t LapicPhysBase() {
  return x86::ReadMsr(kMsrApicBase) & kApicBaseAddressMask;
}

void LapicGlobalInit(LapicMode mode, uint64_t xapic_window) {
  g_mode = mode;
  g_xapic =
      mode == LapicMode::kXapic ? reinterpret_cast<volatile uint32_t*>(xapic_window) : nullptr;
  if (!SetInterruptHandler(kVectorSpurious, SpuriousHandler).ok() ||
      !SetInterruptHandler(kVectorLapicError, ErrorHandler).ok()) {
    kernel_services::Panic("lapic: spurious/error vectors already taken");
  }
}

LapicMode CurrentLapicMode() {
  return g_mode;
}

void LapicCpuInit(const LapicLocalConfig& config) {
  uint64_t base = x86::ReadMsr(kMsrApicBase) | kApicBaseEnable;
  // xAPIC -> x2APIC is a legal transition (SDM §10.12.5, Figure 10-27): EN and EXTD both set.
  if (X2apic()) base |= kApicBaseX2apic;
  x86::WriteMsr(kMsrApicBase, base);
  LapicWrite(kLapicTpr, 0);
  LapicWrite(kLapicLvtTimer, kLvtMasked | kVectorTimer);
  LapicWrite(kLapicLvtLint0, LintValue(config.lint[0]));
  LapicWrite(kLapicLvtLint1, LintValue(config.lint[1]));
  LapicWrite(kLapicLvtError, kVectorLapicError);
  // Clear errors left by firmware: back-to-back writes (SDM §10.5.3).
  LapicWrite(kLapicEsr, 0);
  LapicWrite(kLapicEsr, 0);
  LapicWrite(kLapicSvr, kSvrEnable | kVectorSpurious);
  LapicEoi();  // drop anything firmware left in service
}

uint32_t LapicRead(uint32_t reg) {
  if (X2apic()) return static_cast<uint32_t>(x86::ReadMsr(kX2apicMsrBase + (reg >> 4)));
  return g_xapic[reg / 4];
}

void LapicWrite(uint32_t reg, uint32_t value) {
  if (X2apic()) {
    x86::WriteMsr(kX2apicMsrBase + (reg >> 4), value);
  } else {
    g_xapic[reg / 4] = value;
  }
}

uint32_t LapicId() {
  uint32_t id = LapicRead(kLapicId);
  return X2apic() ? id : id >> 24;  // xAPIC: bits 31:24 (SDM §10.4.6)
}

void LapicEoi() {
  LapicWrite(kLapicEoi, 0);
}

void LapicSendFixed(uint32_t apic_id, uint8_t vector) {
  SendIcr(apic_id, kIcrFixed | kIcrAssert | vector);
}

void LapicSendFixedAllButSelf(uint8_t vector) {
  SendIcr(0, kIcrFixed | kIcrAssert | kIcrAllButSelf | vector);
}

void LapicSendNmi(uint32_t apic_id) {
  SendIcr(apic_id, kIcrNmi | kIcrAssert);
}

void LapicSendInit(uint32_t apic_id) {
  SendIcr(apic_id, kIcrInit | kIcrAssert);
}

void LapicSendStartup(uint32_t apic_id, uint8_t page) {
  SendIcr(apic_id, kIcrStartup | kIcrAssert | page);
}

uint64_t LapicSpuriousCount() {
  return g_spurious_count.Load(MemoryOrder::kRelaxed);
}
uint64_t LapicErrorCount() {
  return g_error_count.Load(MemoryOrder::kRelaxed);
}

}  // namespace hiillos::arch
