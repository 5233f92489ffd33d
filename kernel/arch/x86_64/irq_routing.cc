// kernel/arch/x86_64/irq_routing.cc — override lookup and redirection entry encoding.
#include "kernel/arch/x86_64/irq_routing.h"

namespace hiillos::arch {

IrqRoute ResolveIsaIrq(const acpi::Madt& madt, uint8_t irq) {
  IrqRoute route{irq, IrqPolarity::kActiveHigh, IrqTrigger::kEdge};
  uint32_t count =
      madt.override_count < acpi::kMaxOverrides ? madt.override_count : acpi::kMaxOverrides;
  for (uint32_t i = 0; i < count; ++i) {
    const acpi::InterruptOverride& o = madt.overrides[i];
    if (o.bus != 0 || o.source_irq != irq) continue;
    route.gsi = o.gsi;
    if (o.polarity == acpi::Polarity::kActiveLow) route.polarity = IrqPolarity::kActiveLow;
    if (o.trigger == acpi::Trigger::kLevel) route.trigger = IrqTrigger::kLevel;
    break;  // the first override for an IRQ wins (ACPI allows one per source)
  }
  return route;
}

LapicLocalConfig LocalApicConfigFor(const acpi::Madt& madt, uint32_t apic_id) {
  bool known = false;
  uint32_t uid = 0;
  uint32_t cpus = madt.cpu_count < acpi::kMaxCpus ? madt.cpu_count : acpi::kMaxCpus;
  for (uint32_t i = 0; i < cpus; ++i) {
    if (madt.cpus[i].apic_id == apic_id) {
      known = true;
      uid = madt.cpus[i].uid;
      break;
    }
  }
  LapicLocalConfig config;
  uint32_t nmis =
      madt.local_nmi_count < acpi::kMaxLocalNmis ? madt.local_nmi_count : acpi::kMaxLocalNmis;
  for (uint32_t i = 0; i < nmis; ++i) {
    const acpi::LocalNmi& nmi = madt.local_nmis[i];
    if (nmi.lint > 1) continue;
    if (nmi.uid != acpi::kAllProcessors && (!known || nmi.uid != uid)) continue;
    config.lint[nmi.lint].nmi = true;
    // "Conforms" for NMI means the APIC default, active high.
    config.lint[nmi.lint].active_low = nmi.polarity == acpi::Polarity::kActiveLow;
  }
  return config;
}

uint64_t EncodeRedirection(uint8_t vector, uint8_t apic_id, IrqPolarity polarity,
                           IrqTrigger trigger, bool masked) {
  uint64_t entry = vector;  // delivery mode 000 (fixed), destination mode 0 (physical)
  if (polarity == IrqPolarity::kActiveLow) entry |= kRedirectionActiveLow;
  if (trigger == IrqTrigger::kLevel) entry |= kRedirectionLevel;
  if (masked) entry |= kRedirectionMasked;
  entry |= static_cast<uint64_t>(apic_id) << 56;
  return entry;
}

}  // namespace hiillos::arch
