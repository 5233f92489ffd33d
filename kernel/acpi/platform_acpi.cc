// kernel/acpi/platform_acpi.cc — discovery, the log summary, and the HHDM PhysReader.
#include "kernel/acpi/platform_acpi.h"

#include "kernel/acpi/table_memory.h"
#include "kernel/lib/log.h"
#include "kernel/mm/pmm.h"
#include "lib/acpi/error.h"

namespace hiillos::acpi {
namespace {

// Boot CPU, once; read-only afterwards.
constinit AcpiInfo g_info;
bool g_available;

Result<ByteView, Error> ReadThroughHhdm(void* context, uint64_t phys, uint64_t length) {
  const auto* info = static_cast<const uapi::BootInfo*>(context);
  uint64_t limit = DirectMapLimit(info->memory_map, info->memory_range_count);
  if (!AcpiRangeReadable(info->memory_map, info->memory_range_count, limit, phys, length)) {
    return Err(Error::kReadFailed);
  }
  return ByteView(static_cast<const uint8_t*>(mm::PhysToVirt(phys)), length);
}

const char* PolarityName(Polarity p) {
  switch (p) {
    case Polarity::kActiveHigh:
      return "high";
    case Polarity::kActiveLow:
      return "low";
    default:
      return "bus";
  }
}

const char* TriggerName(Trigger t) {
  switch (t) {
    case Trigger::kEdge:
      return "edge";
    case Trigger::kLevel:
      return "level";
    default:
      return "bus";
  }
}

template <typename T>
void LogOptional(const char* name, const OptionalTable<T>& table) {
  if (table.state == TableState::kAbsent) klog::Log("acpi", "%s: absent", name);
  if (table.state == TableState::kInvalid) {
    klog::Log("acpi", "%s: invalid (%s), ignored", name, ErrorString(table.error));
  }
}

void LogSummary(const AcpiInfo& info) {
  const Madt& madt = info.madt;
  klog::Log("acpi", "RSDP rev %u, %s at %#lx", info.rsdp.revision, info.uses_xsdt ? "XSDT" : "RSDT",
            info.root_table_address);
  klog::Log("acpi", "MADT: %u CPUs enabled (+%u hot-pluggable), local APIC at %#lx%s, %s",
            madt.cpu_count, madt.hotplug_cpu_count, madt.local_apic_address,
            madt.local_apic_address_overridden ? " (override)" : "",
            madt.pcat_compat ? "8259 PICs present" : "no 8259 PICs");
  for (uint32_t i = 0; i < madt.cpu_count; ++i) {
    klog::Log("acpi", "  cpu: lapic id %u, uid %u%s", madt.cpus[i].apic_id, madt.cpus[i].uid,
              madt.cpus[i].from_x2apic ? " (x2APIC entry)" : "");
  }
  for (uint32_t i = 0; i < madt.io_apic_count; ++i) {
    klog::Log("acpi", "  IOAPIC id %u at %#x, GSI base %u", madt.io_apics[i].id,
              madt.io_apics[i].address, madt.io_apics[i].gsi_base);
  }
  for (uint32_t i = 0; i < madt.override_count; ++i) {
    const InterruptOverride& o = madt.overrides[i];
    klog::Log("acpi", "  override: bus %u irq %u -> GSI %u, polarity %s, trigger %s", o.bus,
              o.source_irq, o.gsi, PolarityName(o.polarity), TriggerName(o.trigger));
  }
  for (uint32_t i = 0; i < madt.local_nmi_count; ++i) {
    const LocalNmi& n = madt.local_nmis[i];
    if (n.uid == kAllProcessors) {
      klog::Log("acpi", "  local NMI: all CPUs LINT%u, polarity %s", n.lint,
                PolarityName(n.polarity));
    } else {
      klog::Log("acpi", "  local NMI: uid %u LINT%u, polarity %s", n.uid, n.lint,
                PolarityName(n.polarity));
    }
  }
  if (info.hpet.valid()) {
    const Hpet& h = info.hpet.value;
    klog::Log("acpi", "HPET: block %u at %#lx, %u comparators, %s counter, min tick %u",
              h.hpet_number, h.base_address, h.ComparatorCount(),
              h.Counter64Bit() ? "64-bit" : "32-bit", h.minimum_tick);
  } else {
    LogOptional("HPET", info.hpet);
  }
  if (info.mcfg.valid()) {
    for (uint32_t i = 0; i < info.mcfg.value.region_count; ++i) {
      const EcamRegion& r = info.mcfg.value.regions[i];
      klog::Log("acpi", "MCFG: segment %u buses %u-%u, ECAM at %#lx", r.segment, r.start_bus,
                r.end_bus, r.base_address);
    }
  } else {
    LogOptional("MCFG", info.mcfg);
  }
  LogOptional("FADT", info.fadt);
}

}  // namespace

PhysReader MakeHhdmReader(const uapi::BootInfo& info) {
  return PhysReader(ReadThroughHhdm, const_cast<uapi::BootInfo*>(&info));
}

const AcpiInfo& PlatformAcpiInit(const uapi::BootInfo& info) {
  if (info.acpi_rsdp == 0) {
    klog::Log("acpi", "no RSDP from the loader: no ACPI (one CPU, no IOAPIC, no HPET)");
    return g_info;
  }
  PhysReader reader = MakeHhdmReader(info);
  auto discovered = Discover(reader, info.acpi_rsdp);
  if (!discovered.ok()) {
    klog::Log("acpi", "tables at RSDP %#lx unusable: %s (one CPU, no IOAPIC, no HPET)",
              info.acpi_rsdp, ErrorString(discovered.error()));
    return g_info;
  }
  g_info = discovered.value();
  g_available = true;
  LogSummary(g_info);
  return g_info;
}

const AcpiInfo& PlatformAcpi() {
  return g_info;
}

bool PlatformAcpiAvailable() {
  return g_available;
}

}  // namespace hiillos::acpi
