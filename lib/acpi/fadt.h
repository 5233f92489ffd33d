// lib/acpi/fadt.h — the few Fixed ACPI Description Table ("FACP", ACPI 6.5 §5.2.9) fields the
// kernel needs early: legacy device flags (8042, CMOS century) and the ACPI PM timer.
#pragma once

#include <stdint.h>

#include "lib/acpi/error.h"
#include "lib/acpi/generic_address.h"
#include "lib/acpi/sdt.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

// The ACPI 1.0 FADT was 116 bytes; anything shorter is malformed.
inline constexpr uint64_t kFadtMinimumSize = 116;

// Whether firmware says a PS/2 (8042) controller exists (IAPC_BOOT_ARCH bit 1, §5.2.9.3).
// kUnknown when the FADT is older than revision 2 (the field did not exist) or missing.
enum class Ps2Controller : uint8_t { kUnknown, kPresent, kAbsent };

// ACPI 6.5 Table 5.11: IA-PC boot architecture flags.
inline constexpr uint16_t kBootArchLegacyDevices = 1u << 0;
inline constexpr uint16_t kBootArch8042 = 1u << 1;
inline constexpr uint16_t kBootArchNoVga = 1u << 2;
inline constexpr uint16_t kBootArchNoMsi = 1u << 3;
inline constexpr uint16_t kBootArchNoPcieAspm = 1u << 4;
inline constexpr uint16_t kBootArchNoCmosRtc = 1u << 5;

// ACPI 6.5 Table 5.10: fixed feature flags we look at.
inline constexpr uint32_t kFadtTimerValueExtended = 1u << 8;  // TMR_VAL_EXT: 32-bit PM timer
inline constexpr uint32_t kFadtHardwareReduced = 1u << 20;    // HW_REDUCED_ACPI

struct PmTimer {
  bool present = false;
  // System I/O port (PM_TMR_BLK) or, from X_PM_TMR_BLK, I/O or memory.
  GenericAddress address;
  bool is_32bit = false;  // else 24-bit (TMR_VAL_EXT clear)
};

struct Fadt {
  uint8_t revision = 0;  // table header revision (1 = ACPI 1.0)
  uint16_t sci_interrupt = 0;
  uint8_t century = 0;           // CMOS RAM index of the century byte; 0 = not supported
  bool boot_arch_valid = false;  // revision >= 2 and the table covers IAPC_BOOT_ARCH
  uint16_t iapc_boot_arch = 0;
  uint32_t flags = 0;
  uint64_t dsdt_address = 0;  // X_DSDT when present and non-zero, else DSDT
  PmTimer pm_timer;

  Ps2Controller ps2_controller() const {
    if (!boot_arch_valid) return Ps2Controller::kUnknown;
    return (iapc_boot_arch & kBootArch8042) ? Ps2Controller::kPresent : Ps2Controller::kAbsent;
  }
  bool hardware_reduced() const { return (flags & kFadtHardwareReduced) != 0; }
};

// Decodes a validated "FACP" table. Fields beyond the table's length read as absent (older
// revisions are shorter). Errors: kBadSignature, kBadLength (shorter than 116 bytes),
// kBadAddressSpace (X_PM_TMR_BLK neither system I/O nor system memory).
Result<Fadt, Error> ParseFadt(const Table& table);

}  // namespace hiillos::acpi
