// lib/acpi/sdt.h — System Description Table headers, validated tables, and the XSDT/RSDT walk.
#pragma once

#include <stdint.h>

#include "lib/acpi/byte_view.h"
#include "lib/acpi/error.h"
#include "lib/acpi/options.h"
#include "lib/acpi/phys_reader.h"
#include "lib/acpi/rsdp.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

// ACPI 6.5 §5.2.6, Table 5.4: every SDT starts with this 36-byte header.
inline constexpr uint64_t kSdtHeaderSize = 36;
// A sanity bound on any table's `length` field; checksumming a table reads all of it, so a
// corrupt length must not make us walk gigabytes. (The largest tables, DSDTs, are < 1 MiB.)
inline constexpr uint64_t kMaxTableLength = 16u << 20;

// A 4-character table signature ("APIC", "HPET", ...), checked for length at compile time.
struct Signature {
  char chars[4];
  template <uint64_t N>
  consteval Signature(const char (&s)[N]) : chars{s[0], s[1], s[2], s[3]} {
    static_assert(N == 5, "an ACPI table signature has exactly 4 characters");
  }
};

struct SdtHeader {
  char signature[4] = {};
  uint32_t length = 0;  // of the whole table, header included
  uint8_t revision = 0;
  char oem_id[6] = {};
  char oem_table_id[8] = {};
  uint32_t oem_revision = 0;
  uint32_t creator_id = 0;
  uint32_t creator_revision = 0;
};

// A table whose header has been validated: `bytes` covers exactly header.length bytes
// (>= kSdtHeaderSize), the checksum held (unless Options said not to check), and the
// signature matched what the caller asked for. Parsers take a Table, never raw memory.
struct Table {
  uint64_t phys = 0;
  SdtHeader header;
  ByteView bytes;

  bool Is(Signature signature) const;
};

// Validates the table at the start of `bytes` (which may extend past it): length field within
// [kSdtHeaderSize, kMaxTableLength] and inside `bytes`, checksum over `length` bytes, and the
// signature when `expected` is given. `phys` is only recorded.
Result<Table, Error> ValidateTable(ByteView bytes, uint64_t phys, const Signature* expected,
                                   const Options& options = {});

// Reads the header at `phys`, then exactly `length` bytes, then validates as ValidateTable.
Result<Table, Error> LoadTable(const PhysReader& reader, uint64_t phys, const Signature* expected,
                               const Options& options = {});

// The XSDT (ACPI 6.5 §5.2.8, 64-bit entries) or RSDT (§5.2.7, 32-bit entries) and its entries.
class RootTable {
 public:
  // Loads the root table the RSDP points at: the XSDT when present, the RSDT otherwise. Fails
  // with kNoRootTable when the chosen address is 0, and with kBadLength when the entry area is
  // not a whole number of entries.
  static Result<RootTable, Error> Load(const PhysReader& reader, const Rsdp& rsdp,
                                       const Options& options = {});
  // Wraps an already validated "XSDT" or "RSDT" table (checks the signature and entry area).
  static Result<RootTable, Error> FromTable(const Table& table);

  bool is_xsdt() const { return entry_size_ == 8; }
  const Table& table() const { return table_; }
  uint64_t EntryCount() const { return (table_.bytes.size() - kSdtHeaderSize) / entry_size_; }
  // The physical address in entry `index` (entries may be unaligned; XSDT ones usually are).
  Result<uint64_t, Error> Entry(uint64_t index) const;

  // The `index`-th table (0-based, in root-table order) with this signature, fully validated.
  // Entries that are 0 or whose header cannot be read are skipped (firmware sometimes leaves
  // stale pointers); a table with the right signature that fails validation is an error, not
  // skipped. kNotFound when there are fewer than index + 1 such tables.
  Result<Table, Error> FindTable(const PhysReader& reader, Signature signature, uint64_t index,
                                 const Options& options = {}) const;

 private:
  RootTable(const Table& table, uint64_t entry_size) : table_(table), entry_size_(entry_size) {}

  Table table_;
  uint64_t entry_size_;
};

}  // namespace hiillos::acpi
