// kernel/arch/x86_64/lapic.h — the local APIC: xAPIC (MMIO) or x2APIC (MSR) access, per-CPU
// set-up, EOI and inter-processor interrupts (SDM Vol.3A chapter 10).
//
// Ownership: the access mode and the xAPIC register window are chosen once by the boot CPU
// (LapicGlobalInit, before any AP starts) and read-only afterwards. Each CPU programs its own
// APIC (LapicCpuInit); the registers of a local APIC are only ever touched by its own CPU.
// Interrupt-command writes are made atomic against local interrupts (xAPIC needs two writes).
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/irq_routing.h"

namespace hiillos::arch {

enum class LapicMode : uint8_t {
  kNone,    // not initialised yet
  kXapic,   // memory-mapped registers (the window is mapped uncached by the caller)
  kX2apic,  // MSRs 0x800-0x8ff (SDM §10.12)
};

// xAPIC register offsets (SDM Vol.3A Table 10-1); x2APIC MSR = 0x800 + (offset >> 4).
inline constexpr uint32_t kLapicId = 0x020;
inline constexpr uint32_t kLapicVersion = 0x030;
inline constexpr uint32_t kLapicTpr = 0x080;
inline constexpr uint32_t kLapicEoi = 0x0b0;
inline constexpr uint32_t kLapicSvr = 0x0f0;
inline constexpr uint32_t kLapicEsr = 0x280;
inline constexpr uint32_t kLapicIcrLow = 0x300;
inline constexpr uint32_t kLapicIcrHigh = 0x310;
inline constexpr uint32_t kLapicLvtTimer = 0x320;
inline constexpr uint32_t kLapicLvtLint0 = 0x350;
inline constexpr uint32_t kLapicLvtLint1 = 0x360;
inline constexpr uint32_t kLapicLvtError = 0x370;
inline constexpr uint32_t kLapicTimerInitial = 0x380;
inline constexpr uint32_t kLapicTimerCurrent = 0x390;
inline constexpr uint32_t kLapicTimerDivide = 0x3e0;

// LVT bits (SDM §10.5.1, Figure 10-8).
inline constexpr uint32_t kLvtMasked = 1u << 16;
inline constexpr uint32_t kLvtDeliveryNmi = 0b100u << 8;
inline constexpr uint32_t kLvtActiveLow = 1u << 13;
inline constexpr uint32_t kLvtTimerPeriodic = 0b01u << 17;
inline constexpr uint32_t kLvtTimerTscDeadline = 0b10u << 17;

// IA32_APIC_BASE (SDM §10.4.4) and IA32_TSC_DEADLINE (§10.5.4.1).
inline constexpr uint32_t kMsrApicBase = 0x1b;
inline constexpr uint64_t kApicBaseBsp = 1ull << 8;
inline constexpr uint64_t kApicBaseX2apic = 1ull << 10;
inline constexpr uint64_t kApicBaseEnable = 1ull << 11;
inline constexpr uint64_t kApicBaseAddressMask = 0x000f'ffff'ffff'f000ull;
inline constexpr uint32_t kMsrTscDeadline = 0x6e0;

// The mode the boot CPU should use: x2APIC when firmware already enabled it or CPUID.1:ECX[21]
// says the CPU has it, else xAPIC. Panics if the CPU has no APIC (CPUID.1:EDX[9]).
LapicMode LapicChooseMode();
// Physical base of the xAPIC window (IA32_APIC_BASE), for the caller to map.
uint64_t LapicPhysBase();
// Boot CPU, once: records the mode and the mapped window (`xapic_window`, ignored for x2APIC)
// and registers the spurious and error vector handlers.
void LapicGlobalInit(LapicMode mode, uint64_t xapic_window);
LapicMode CurrentLapicMode();

// Every CPU, interrupts off: enables its APIC in the global mode, TPR 0, spurious vector,
// error vector, LINT0/1 as `config` says, timer masked.
void LapicCpuInit(const LapicLocalConfig& config);

uint32_t LapicRead(uint32_t reg);
void LapicWrite(uint32_t reg, uint32_t value);

// This CPU's APIC ID (8 bits in xAPIC mode, 32 in x2APIC mode).
uint32_t LapicId();
void LapicEoi();

// Inter-processor interrupts (SDM §10.6). `apic_id` is a physical destination.
void LapicSendFixed(uint32_t apic_id, uint8_t vector);
void LapicSendFixedAllButSelf(uint8_t vector);
void LapicSendNmi(uint32_t apic_id);
void LapicSendInit(uint32_t apic_id);
// Start-up IPI: the AP begins in real mode at `page` << 12 (page < 0x100).
void LapicSendStartup(uint32_t apic_id, uint8_t page);

// Counters kept by the spurious and error handlers (tests and diagnostics).
uint64_t LapicSpuriousCount();
uint64_t LapicErrorCount();

}  // namespace hiillos::arch
