// services/pcid/discovery.cc — ACPI through device frames, ECAM mapping, enumeration.
#include "services/pcid/discovery.h"

#include "lib/acpi/discover.h"
#include "lib/acpi/error.h"
#include "lib/acpi/prt.h"
#include "lib/acpi/rsdp.h"
#include "lib/acpi/sdt.h"
#include "lib/base/placement_new.h"
#include "lib/pci/error.h"
#include "services/lib/print.h"

namespace hiillos::pcid {
namespace {

// ACPI reads: each asks for an exact range; ranges already mapped are reused (the tables are
// read several times: header, then whole table), new ones get a device frame each.
struct AcpiMappings {
  static constexpr uint32_t kMax = 48;
  struct Entry {
    uint64_t phys;
    uint64_t size;
    const uint8_t* address;
  };
  DeviceMapper* mapper;
  Entry entries[kMax];
  uint32_t count = 0;
};

Result<acpi::ByteView, acpi::Error> ReadAcpi(void* context, uint64_t phys, uint64_t length) {
  auto* maps = static_cast<AcpiMappings*>(context);
  if (length == 0) return acpi::ByteView(reinterpret_cast<const uint8_t*>(1), 0);
  for (uint32_t i = 0; i < maps->count; ++i) {
    const AcpiMappings::Entry& e = maps->entries[i];
    if (phys >= e.phys && phys - e.phys <= e.size && length <= e.size - (phys - e.phys)) {
      return acpi::ByteView(e.address + (phys - e.phys), length);
    }
  }
  if (maps->count == AcpiMappings::kMax) return Err(acpi::Error::kReadFailed);
  auto mapped = maps->mapper->MapPhys(phys, length);
  if (!mapped.ok()) {
    rt::Printf("pcid: ACPI range %#lx+%#lx not readable: status %u\n", phys, length,
               static_cast<unsigned>(mapped.error()));
    return Err(acpi::Error::kReadFailed);
  }
  // Device memory holds no C++ objects; the parsers only read bytes through the view.
  const auto* address = const_cast<const uint8_t*>(mapped.value());
  maps->entries[maps->count++] = {phys, length, address};
  return acpi::ByteView(address, length);
}

AcpiMappings g_acpi_mappings;

// The INTx routing (DSDT and SSDTs through the same reader): recorded, not fatal.
void ReadRouting(const acpi::PhysReader& reader, uint64_t rsdp_phys, PciSystem& out) {
  out.routing_ok = false;
  auto rsdp = acpi::ReadRsdp(reader, rsdp_phys);
  if (!rsdp.ok()) {
    out.routing_error = rsdp.error();
    return;
  }
  auto root = acpi::RootTable::Load(reader, rsdp.value());
  if (!root.ok()) {
    out.routing_error = root.error();
    return;
  }
  auto routing = acpi::ReadPciRouting(reader, root.value());
  if (!routing.ok()) {
    out.routing_error = routing.error();
    rt::Printf("pcid: no INTx routing: %s", acpi::ErrorString(routing.error()));
    return;
  }
  out.routing = routing.value();
  out.routing_ok = true;
  rt::Printf("pcid: INTx routing: %u _PRT entries (APIC mode)", out.routing.count);
}

}  // namespace

const char* DiscoverPci(DeviceMapper& mapper, uint64_t rsdp_phys, PciSystem& out) {
  if (rsdp_phys == 0) return "no RSDP in BootInfo";
  g_acpi_mappings.mapper = &mapper;
  g_acpi_mappings.count = 0;
  const acpi::PhysReader reader(&ReadAcpi, &g_acpi_mappings);
  auto info = acpi::Discover(reader, rsdp_phys);
  if (!info.ok()) {
    rt::Printf("pcid: ACPI: %s\n", acpi::ErrorString(info.error()));
    return "ACPI tables unreadable";
  }
  if (!info.value().mcfg.valid()) return "no valid MCFG table";
  const acpi::Mcfg& mcfg = info.value().mcfg.value;
  out.window_count = 0;
  for (uint32_t i = 0; i < mcfg.region_count; ++i) {
    const acpi::EcamRegion& region = mcfg.regions[i];
    auto mapped = mapper.MapPhys(region.PhysStart(), region.PhysSize());
    if (!mapped.ok()) {
      rt::Printf("pcid: ECAM %#lx+%#lx: status %u\n", region.PhysStart(), region.PhysSize(),
                 static_cast<unsigned>(mapped.error()));
      return "ECAM not mappable";
    }
    out.windows[out.window_count++] = {region, mapped.value()};
  }
  new (&out.config) pci::EcamConfigSpace(out.windows, out.window_count);
  acpi::EcamRegion regions[acpi::kMaxEcamRegions];
  for (uint32_t i = 0; i < out.window_count; ++i) regions[i] = out.windows[i].region;
  if (out.window_count > 0) out.root_bus = out.windows[0].region.start_bus;
  ReadRouting(reader, rsdp_phys, out);
  auto enumerated = pci::Enumerate(out.config, regions, out.window_count, out.table);
  if (!enumerated.ok()) {
    rt::Printf("pcid: enumeration: %s\n", pci::ErrorName(enumerated.error()));
    if (enumerated.error() != pci::Error::kTooManyFunctions) return "enumeration failed";
  }
  return nullptr;
}

const char* ClassName(uint8_t class_code) {
  switch (class_code) {
    case 0x01:
      return "mass storage";
    case 0x02:
      return "network";
    case 0x03:
      return "display";
    case 0x06:
      return "bridge";
    case 0x0c:
      return "serial bus";
    default:
      return "other";
  }
}

}  // namespace hiillos::pcid
