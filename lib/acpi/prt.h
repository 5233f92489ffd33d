// lib/acpi/prt.h — PCI INTx routing from the ACPI namespace: the root bridge's _PRT (ACPI 6.5
// §6.2.13) decoded statically, its link devices' interrupts (§6.2.2 _CRS, §6.4.3.6 Extended
// Interrupt Descriptor), and the bridge swizzle for devices below PCI-PCI bridges.
//
// What is evaluated, and nothing more (anything else is kUnsupportedAml):
//   - the root bridge: the first Device whose _HID or _CID is PNP0A08 or PNP0A03 (EisaId
//     integer or string; a _CID Package of them), in table order (DSDT first, then SSDTs);
//   - its _PRT: a Name holding a Package, or a Method of no arguments whose body is
//     `Return (X)`, or `If (P) { Return (X) } Else { Return (Y) }` (the Else may be a plain
//     `Return (Y)` after the If), where P tests the flag that \_PIC stores its argument into
//     (`Store (Arg0, F)`): `F`, `LEqual (F, One)` (true in APIC mode) or `LEqual (F, Zero)`,
//     `LNot (F)` (true in PIC mode). We run in APIC mode (_PIC(1): the IOAPIC, not the 8259),
//     so the APIC-mode table is chosen; X and Y must name Packages. QEMU q35 is this pattern:
//     `If (PICF == Zero) Return (PRTP) Else Return (PRTA)`;
//   - each entry {Address, Pin, Source, SourceIndex}: Address = device << 16 | 0xFFFF, Pin
//     0-3 (INTA-INTD); Source 0 means SourceIndex is the GSI (level, active low, shared, as the
//     spec says for that case); else Source names a link device (PNP0C0F) whose _CRS is a Name
//     holding a Buffer: the SourceIndex-th Extended Interrupt descriptor gives the GSI and its
//     mode. A link device whose _CRS is a Method (a programmable link, PIC-mode LNKx on q35)
//     is not evaluated.
#pragma once

#include <stdint.h>

#include "lib/acpi/aml.h"
#include "lib/acpi/byte_view.h"
#include "lib/acpi/error.h"
#include "lib/acpi/options.h"
#include "lib/acpi/phys_reader.h"
#include "lib/acpi/sdt.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

// More than a full root bus (32 devices x 4 pins).
inline constexpr uint32_t kMaxPrtEntries = 256;
// DSDT + this many SSDTs are read.
inline constexpr uint32_t kMaxSsdts = 15;

// Where one PCI interrupt pin arrives.
struct PciIntxRoute {
  uint8_t device = 0;  // on the root bus
  uint8_t pin = 0;     // 0 = INTA .. 3 = INTD
  uint32_t gsi = 0;
  bool level = true;       // else edge
  bool active_low = true;  // else active high
  bool shared = true;      // the descriptor says the line may be shared
};

struct PciRouting {
  AmlPath root_bridge;  // e.g. \_SB_.PCI0
  uint32_t count = 0;
  PciIntxRoute routes[kMaxPrtEntries];
};

// Decodes the root bridge's routing from AML bodies (DSDT first). Errors: kNotFound (no root
// bridge or no _PRT), kUnsupportedAml, kBadAml, kTooManyEntries.
Result<PciRouting, Error> DecodePciRouting(const ByteView* aml, uint32_t aml_count);

// Loads the DSDT (FADT X_DSDT/DSDT) and up to kMaxSsdts SSDTs, then DecodePciRouting.
// Errors: those of LoadTable/FindTable/ParseFadt and DecodePciRouting.
Result<PciRouting, Error> ReadPciRouting(const PhysReader& reader, const RootTable& root,
                                         const Options& options = {});

// The route of `pin` (0-3) of the device reached by `path`: path[0] is a device number on the
// root bus, path[i + 1] a device number on the secondary bus of the bridge path[i]; the last
// is the interrupting device. Bridges without their own _PRT swizzle (PCI-to-PCI Bridge
// Architecture §9.1): pin' = (pin + device) % 4 at each bridge on the way up. Errors:
// kBadEntry (empty path, pin > 3), kNotFound (no entry for the root-bus device and pin).
Result<PciIntxRoute, Error> RoutePciInterrupt(const PciRouting& routing, const uint8_t* path,
                                              uint32_t depth, uint8_t pin);

}  // namespace hiillos::acpi
