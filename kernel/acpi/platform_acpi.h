// kernel/acpi/platform_acpi.h — the kernel's use of lib/acpi: discovery from BootInfo's RSDP
// through the direct map, a summary in the log, and the result kept for the kernel's lifetime.
//
// Ownership: PlatformAcpiInit runs once on the boot CPU (stage 5) and fills a static AcpiInfo;
// afterwards PlatformAcpi() is read-only and may be used from any CPU.
#pragma once

#include "lib/acpi/discover.h"
#include "lib/acpi/phys_reader.h"
#include "uapi/boot_info.h"

namespace hiillos::acpi {

// Reads the tables (bounded reads through the HHDM, limited by AcpiRangeReadable) and logs
// CPUs, IOAPICs, overrides, local NMIs, HPET and MCFG. Without an RSDP or with broken tables it
// logs why and returns an empty AcpiInfo (no CPUs, no IOAPIC, no HPET): the kernel then runs on
// the boot CPU with the PIT. Never panics on firmware data.
const AcpiInfo& PlatformAcpiInit(const uapi::BootInfo& info);

// The AcpiInfo PlatformAcpiInit produced (empty before it ran).
const AcpiInfo& PlatformAcpi();
// True if discovery succeeded (a valid MADT).
bool PlatformAcpiAvailable();

// A PhysReader over the HHDM with the policy above, for `info`'s memory map (which must outlive
// the reader). Exposed for tests.
PhysReader MakeHhdmReader(const uapi::BootInfo& info);

}  // namespace hiillos::acpi
