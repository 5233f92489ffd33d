// kernel/arch/x86_64/irq_routing.h — pure IOAPIC routing logic: ISA IRQ -> GSI through the
// MADT's interrupt source overrides, and redirection-table entry encoding (host tested).
#pragma once

#include <stdint.h>

#include "lib/acpi/madt.h"

namespace hiillos::arch {

enum class IrqPolarity : uint8_t { kActiveHigh, kActiveLow };
enum class IrqTrigger : uint8_t { kEdge, kLevel };

struct IrqRoute {
  uint32_t gsi;
  IrqPolarity polarity;
  IrqTrigger trigger;
};

// Where ISA IRQ `irq` arrives: the override for it if the MADT has one (ACPI 6.5 §5.2.12.5),
// else identity-mapped. "Conforms to the bus" resolves to the ISA defaults: active high, edge.
IrqRoute ResolveIsaIrq(const acpi::Madt& madt, uint8_t irq);

// How one local APIC LINT pin is wired (from the MADT's local APIC NMI entries, ACPI 6.5
// §5.2.12.7). Pins without an entry are masked.
struct LintConfig {
  bool nmi = false;
  bool active_low = false;
};
struct LapicLocalConfig {
  LintConfig lint[2];
};

// The LINT wiring of the CPU with local APIC ID `apic_id`: NMI entries for its ACPI processor
// UID or for all processors. A CPU missing from the MADT only gets the all-processor entries.
LapicLocalConfig LocalApicConfigFor(const acpi::Madt& madt, uint32_t apic_id);

// One IOAPIC redirection table entry (82093AA datasheet §3.2.4): fixed delivery, physical
// destination mode, `apic_id` in bits 63:56.
inline constexpr uint64_t kRedirectionMasked = 1ull << 16;
inline constexpr uint64_t kRedirectionActiveLow = 1ull << 13;
inline constexpr uint64_t kRedirectionLevel = 1ull << 15;
uint64_t EncodeRedirection(uint8_t vector, uint8_t apic_id, IrqPolarity polarity,
                           IrqTrigger trigger, bool masked);

}  // namespace hiillos::arch
