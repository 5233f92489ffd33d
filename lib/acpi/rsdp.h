// lib/acpi/rsdp.h — the Root System Description Pointer (ACPI 6.5 §5.2.5).
#pragma once

#include <stdint.h>

#include "lib/acpi/byte_view.h"
#include "lib/acpi/error.h"
#include "lib/acpi/options.h"
#include "lib/acpi/phys_reader.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

// ACPI 6.5 §5.2.5.3: the ACPI 1.0 part is 20 bytes; revision >= 2 adds fields up to 36 bytes.
inline constexpr uint64_t kRsdpV1Size = 20;
inline constexpr uint64_t kRsdpV2Size = 36;
// A sanity bound on the revision >= 2 `length` field (it is 36 in every ACPI version so far).
inline constexpr uint64_t kMaxRsdpLength = 4096;

struct Rsdp {
  uint8_t revision = 0;  // 0 for ACPI 1.0, 2 for ACPI 2.0 and later
  char oem_id[6] = {};   // not NUL-terminated
  uint32_t rsdt_address = 0;
  uint64_t xsdt_address = 0;  // 0 when revision < 2
  uint32_t length = 0;        // bytes covered by the checksums (20 for revision < 2)

  // ACPI 6.5 §5.2.5.3: an OS uses the XSDT when there is one, the RSDT otherwise.
  bool UsesXsdt() const { return revision >= 2 && xsdt_address != 0; }
  uint64_t RootTableAddress() const { return UsesXsdt() ? xsdt_address : rsdt_address; }
};

// Parses an RSDP from `bytes`, which starts at the structure and may extend past it. Checks the
// signature, the 20-byte checksum, and for revision >= 2 the length (36 <= length <=
// kMaxRsdpLength, inside `bytes`) and the extended checksum over `length` bytes.
Result<Rsdp, Error> ParseRsdp(ByteView bytes, const Options& options = {});

// Reads and parses the RSDP at physical address `phys`, reading only the bytes the structure
// says it has (20, then `length` for revision >= 2).
Result<Rsdp, Error> ReadRsdp(const PhysReader& reader, uint64_t phys, const Options& options = {});

}  // namespace hiillos::acpi
