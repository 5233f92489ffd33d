// lib/acpi/madt.h — the Multiple APIC Description Table ("APIC", ACPI 6.5 §5.2.12) summary.
//
// Capacity policy: the summary has fixed-size arrays (no allocation). When the table has more
// usable entries of a kind than its array holds, ParseMadt fails with kTooManyEntries rather
// than returning a silently partial list; raise the constant if real hardware needs more.
// Processors that are neither enabled nor online-capable are not counted (the OS must not use
// them, §5.2.12.2), and online-capable-but-disabled ones are only counted in
// `hotplug_cpu_count`, so `cpus` holds exactly the processors to start at boot.
#pragma once

#include <stdint.h>

#include "lib/acpi/error.h"
#include "lib/acpi/sdt.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

inline constexpr uint32_t kMaxCpus = 64;
inline constexpr uint32_t kMaxIoApics = 8;
inline constexpr uint32_t kMaxOverrides = 32;
inline constexpr uint32_t kMaxLocalNmis = 16;

// A local APIC NMI entry whose processor UID is this applies to every processor.
inline constexpr uint32_t kAllProcessors = 0xffffffff;

// MPS INTI flags (ACPI 6.5 Table 5.26): polarity in bits 0-1, trigger mode in bits 2-3. The
// value 2 is reserved for both and rejected.
enum class Polarity : uint8_t { kConforms = 0, kActiveHigh = 1, kActiveLow = 3 };
enum class Trigger : uint8_t { kConforms = 0, kEdge = 1, kLevel = 3 };

struct Cpu {
  uint32_t apic_id = 0;      // local APIC id (8-bit for type 0 entries, 32-bit for x2APIC ones)
  uint32_t uid = 0;          // ACPI processor UID, what NMI entries refer to
  bool from_x2apic = false;  // described by a Processor Local x2APIC entry (type 9)
};

struct IoApic {
  uint8_t id = 0;
  uint32_t address = 0;   // physical address of the register window
  uint32_t gsi_base = 0;  // first global system interrupt this IOAPIC handles
};

// ACPI 6.5 §5.2.12.5: ISA IRQ `source_irq` signals global system interrupt `gsi`.
struct InterruptOverride {
  uint8_t bus = 0;  // 0 = ISA, the only bus the spec defines
  uint8_t source_irq = 0;
  uint32_t gsi = 0;
  Polarity polarity = Polarity::kConforms;
  Trigger trigger = Trigger::kConforms;
};

// ACPI 6.5 §5.2.12.7 / §5.2.12.13: which LINT pin of which processor(s) is wired to NMI.
struct LocalNmi {
  uint32_t uid = kAllProcessors;  // processor UID, or kAllProcessors
  uint8_t lint = 0;               // 0 or 1
  Polarity polarity = Polarity::kConforms;
  Trigger trigger = Trigger::kConforms;
};

struct Madt {
  // From the table header field, replaced by a Local APIC Address Override (type 5) if any.
  uint64_t local_apic_address = 0;
  bool local_apic_address_overridden = false;
  uint32_t flags = 0;
  bool pcat_compat = false;  // flags bit 0: dual 8259 PICs present (mask them)

  uint32_t cpu_count = 0;
  Cpu cpus[kMaxCpus];
  uint32_t hotplug_cpu_count = 0;  // online-capable processors not enabled at boot
  uint32_t io_apic_count = 0;
  IoApic io_apics[kMaxIoApics];
  uint32_t override_count = 0;
  InterruptOverride overrides[kMaxOverrides];
  uint32_t local_nmi_count = 0;
  LocalNmi local_nmis[kMaxLocalNmis];
};

// Decodes a validated "APIC" table. Every entry header is checked before use: length >= 2,
// entry inside the table, length >= the minimum for its type (longer entries from newer spec
// revisions are accepted, their extra bytes ignored). Unknown types are skipped by their length.
// Errors: kBadSignature (not "APIC"), kBadLength (table shorter than the 44-byte fixed part),
// kBadEntry, kTooManyEntries.
Result<Madt, Error> ParseMadt(const Table& table);

}  // namespace hiillos::acpi
