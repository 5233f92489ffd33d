// kernel/arch/x86_64/vectors.h — the interrupt vector plan for vectors 32-255 (who owns which).
//
// The local APIC prioritises by vector >> 4 (SDM Vol.3A §10.8.3.1): the kernel's own vectors sit
// in the top class so IPIs and the tick are never held back by device interrupts.
#pragma once

#include <stdint.h>

namespace hiillos::arch {

// 0x20-0x2f: the legacy 8259 PICs are remapped here and masked (pic.h); only their spurious
// IRQ 7 / IRQ 15 can still arrive.
inline constexpr uint8_t kVectorPicBase = 0x20;
inline constexpr uint8_t kVectorPicSpuriousMaster = kVectorPicBase + 7;
inline constexpr uint8_t kVectorPicSpuriousSlave = kVectorPicBase + 15;

// 0x30-0xdf: IOAPIC device interrupts (vector = 0x30 + GSI). IoApicRoute accepts only these.
inline constexpr uint8_t kFirstDeviceVector = 0x30;
inline constexpr uint8_t kLastDeviceVector = 0xdf;

// 0xe0-0xef: message-signalled interrupts bound by user-space drivers (user_msi.h).
inline constexpr uint8_t kFirstMsiVector = 0xe0;
inline constexpr uint8_t kLastMsiVector = 0xef;

// 0xf0-0xff: local APIC sources and inter-processor interrupts.
inline constexpr uint8_t kVectorTimer = 0xf0;       // LAPIC timer tick (lapic_timer.h)
inline constexpr uint8_t kVectorWakeUp = 0xfb;      // IPI: leave HLT, nothing else (ipi.h)
inline constexpr uint8_t kVectorCrossCall = 0xfc;   // IPI: run queued functions (ipi.h)
inline constexpr uint8_t kVectorLapicError = 0xfe;  // LVT error (lapic.h)
// Spurious-interrupt vector: bits 3-0 all ones, which P6-family APICs hard-wire (§10.9).
inline constexpr uint8_t kVectorSpurious = 0xff;

}  // namespace hiillos::arch
