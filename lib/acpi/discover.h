// lib/acpi/discover.h — one call from the RSDP to everything the kernel needs from ACPI.
#pragma once

#include <stdint.h>

#include "lib/acpi/error.h"
#include "lib/acpi/fadt.h"
#include "lib/acpi/hpet.h"
#include "lib/acpi/madt.h"
#include "lib/acpi/mcfg.h"
#include "lib/acpi/options.h"
#include "lib/acpi/phys_reader.h"
#include "lib/acpi/rsdp.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

enum class TableState : uint8_t {
  kAbsent,   // no table with this signature in the XSDT/RSDT
  kValid,    // found and parsed; `value` holds it
  kInvalid,  // found but malformed; `error` says why, `value` is default
};

// A table the system can live without: its absence or corruption is reported, not fatal.
template <typename T>
struct OptionalTable {
  TableState state = TableState::kAbsent;
  Error error = Error::kNotFound;
  T value = {};

  bool valid() const { return state == TableState::kValid; }
};

struct AcpiInfo {
  Rsdp rsdp;
  bool uses_xsdt = false;
  uint64_t root_table_address = 0;

  Madt madt;  // required: Discover fails without a valid MADT
  OptionalTable<Hpet> hpet;
  OptionalTable<Mcfg> mcfg;
  OptionalTable<Fadt> fadt;
  // From the FADT's IAPC_BOOT_ARCH; kUnknown when the FADT is absent, invalid or revision 1.
  Ps2Controller ps2_controller = Ps2Controller::kUnknown;
};

// Reads the RSDP at `rsdp_phys`, the XSDT (or RSDT) it names, and the first "APIC", "HPET",
// "MCFG" and "FACP" tables. Errors come from the RSDP, the root table or the MADT (kNotFound
// when there is none); HPET, MCFG and FADT problems are recorded in their OptionalTable.
// Every byte is read through `reader`, which bounds each access.
Result<AcpiInfo, Error> Discover(const PhysReader& reader, uint64_t rsdp_phys,
                                 const Options& options = {});

}  // namespace hiillos::acpi
