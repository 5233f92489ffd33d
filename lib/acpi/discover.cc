// lib/acpi/discover.cc — RSDP → XSDT/RSDT → MADT, HPET, MCFG, FADT (ACPI 6.5 §5.2.5-§5.2.12).
#include "lib/acpi/discover.h"

#include "lib/acpi/sdt.h"

namespace hiillos::acpi {
namespace {

// Finds and parses the first table with `signature`: absent, valid, or invalid with a reason.
template <typename T, typename ParseFn>
OptionalTable<T> FindOptional(const PhysReader& reader, const RootTable& root, Signature signature,
                              const Options& options, ParseFn parse) {
  OptionalTable<T> out;
  Result<Table, Error> table = root.FindTable(reader, signature, 0, options);
  if (!table.ok()) {
    if (table.error() == Error::kNotFound) return out;
    out.state = TableState::kInvalid;
    out.error = table.error();
    return out;
  }
  Result<T, Error> parsed = parse(table.value());
  if (!parsed.ok()) {
    out.state = TableState::kInvalid;
    out.error = parsed.error();
    return out;
  }
  out.state = TableState::kValid;
  out.value = parsed.value();
  return out;
}

}  // namespace

Result<AcpiInfo, Error> Discover(const PhysReader& reader, uint64_t rsdp_phys,
                                 const Options& options) {
  AcpiInfo info;
  info.rsdp = TRY(ReadRsdp(reader, rsdp_phys, options));
  info.uses_xsdt = info.rsdp.UsesXsdt();
  info.root_table_address = info.rsdp.RootTableAddress();
  RootTable root = TRY(RootTable::Load(reader, info.rsdp, options));

  Table madt = TRY(root.FindTable(reader, "APIC", 0, options));
  info.madt = TRY(ParseMadt(madt));

  info.hpet = FindOptional<Hpet>(reader, root, "HPET", options, ParseHpet);
  info.mcfg = FindOptional<Mcfg>(reader, root, "MCFG", options, ParseMcfg);
  info.fadt = FindOptional<Fadt>(reader, root, "FACP", options, ParseFadt);
  if (info.fadt.valid()) info.ps2_controller = info.fadt.value.ps2_controller();
  return info;
}

}  // namespace hiillos::acpi
