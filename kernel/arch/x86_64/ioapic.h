// kernel/arch/x86_64/ioapic.h — the I/O APICs: every GSI starts masked; drivers (and later the
// IrqLine capability) route a GSI to a vector on a CPU and mask/unmask it.
//
// Ownership: the IOAPIC table is built once by the boot CPU (IoApicInit) and read-only after;
// one IrqSpinLock guards every index/data register pair access (IOREGSEL then IOWIN must not
// interleave between CPUs or with interrupt handlers). Safe to call from any CPU.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/irq_routing.h"
#include "lib/acpi/madt.h"
#include "lib/base/result.h"

namespace hiillos::arch {

enum class IoApicError : uint8_t {
  kNoSuchGsi,      // no IOAPIC handles this GSI
  kBadVector,      // outside kFirstDeviceVector..kLastDeviceVector
  kBadCpu,         // CPU index not online
  kBadDestination  // the CPU's APIC ID does not fit the 8-bit physical destination
};

// Boot CPU, once: maps every IOAPIC in `madt` uncached, reads how many inputs it has, and masks
// all of them. IOAPICs that cannot be mapped or overlap another's GSIs are skipped (logged).
void IoApicInit(const acpi::Madt& madt);

// ISA IRQ `irq` resolved through the MADT's interrupt source overrides (irq_routing.h).
IrqRoute IsaIrqRoute(uint8_t irq);

// Programs `gsi` to deliver `vector` to CPU `cpu_index` with the given electrical properties.
// The line stays masked (or becomes masked): unmask it once the handler is registered.
Result<void, IoApicError> IoApicRoute(uint32_t gsi, uint8_t vector, uint32_t cpu_index,
                                      IrqPolarity polarity, IrqTrigger trigger);
Result<void, IoApicError> IoApicMask(uint32_t gsi);
Result<void, IoApicError> IoApicUnmask(uint32_t gsi);
// The raw 64-bit redirection entry of `gsi` (tests, diagnostics).
Result<uint64_t, IoApicError> IoApicReadEntry(uint32_t gsi);

// Number of IOAPICs in use and the total number of GSIs they handle.
uint32_t IoApicCount();
uint32_t IoApicGsiCount();

}  // namespace hiillos::arch
