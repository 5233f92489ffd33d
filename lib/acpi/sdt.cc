// lib/acpi/sdt.cc — SDT header validation (ACPI 6.5 §5.2.6) and the root table walk (§5.2.7-8).
#include "lib/acpi/sdt.h"

namespace hiillos::acpi {
namespace {

// ACPI 6.5 Table 5.4 field offsets.
constexpr uint64_t kSignatureOffset = 0;
constexpr uint64_t kLengthOffset = 4;
constexpr uint64_t kRevisionOffset = 8;
constexpr uint64_t kOemIdOffset = 10;
constexpr uint64_t kOemTableIdOffset = 16;
constexpr uint64_t kOemRevisionOffset = 24;
constexpr uint64_t kCreatorIdOffset = 28;
constexpr uint64_t kCreatorRevisionOffset = 32;

bool SignatureIs(const char (&have)[4], Signature want) {
  for (int i = 0; i < 4; ++i) {
    if (have[i] != want.chars[i]) return false;
  }
  return true;
}

Result<void, Error> CopyChars(ByteView bytes, uint64_t offset, char* out, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) out[i] = static_cast<char>(TRY(bytes.U8(offset + i)));
  return Ok<Error>();
}

// Decodes the 36-byte header without judging it.
Result<SdtHeader, Error> DecodeHeader(ByteView bytes) {
  SdtHeader header;
  TRY(CopyChars(bytes, kSignatureOffset, header.signature, sizeof(header.signature)));
  header.length = TRY(bytes.U32(kLengthOffset));
  header.revision = TRY(bytes.U8(kRevisionOffset));
  TRY(CopyChars(bytes, kOemIdOffset, header.oem_id, sizeof(header.oem_id)));
  TRY(CopyChars(bytes, kOemTableIdOffset, header.oem_table_id, sizeof(header.oem_table_id)));
  header.oem_revision = TRY(bytes.U32(kOemRevisionOffset));
  header.creator_id = TRY(bytes.U32(kCreatorIdOffset));
  header.creator_revision = TRY(bytes.U32(kCreatorRevisionOffset));
  return header;
}

Result<void, Error> CheckLength(uint32_t length) {
  if (length < kSdtHeaderSize) return Err(Error::kBadLength);
  if (length > kMaxTableLength) return Err(Error::kTableTooLarge);
  return Ok<Error>();
}

}  // namespace

bool Table::Is(Signature signature) const {
  return SignatureIs(header.signature, signature);
}

Result<Table, Error> ValidateTable(ByteView bytes, uint64_t phys, const Signature* expected,
                                   const Options& options) {
  SdtHeader header = TRY(DecodeHeader(TRY(bytes.Prefix(kSdtHeaderSize))));
  if (expected != nullptr && !SignatureIs(header.signature, *expected)) {
    return Err(Error::kBadSignature);
  }
  TRY(CheckLength(header.length));
  // ACPI 6.5 §5.2.6: the entire table, including the checksum field, must sum to zero.
  ByteView whole = TRY(bytes.Prefix(header.length));
  if (options.verify_checksums && whole.Sum() != 0) return Err(Error::kBadChecksum);
  Table table;
  table.phys = phys;
  table.header = header;
  table.bytes = whole;
  return table;
}

Result<Table, Error> LoadTable(const PhysReader& reader, uint64_t phys, const Signature* expected,
                               const Options& options) {
  ByteView head = TRY(reader.Read(phys, kSdtHeaderSize));
  SdtHeader header = TRY(DecodeHeader(head));
  // Check the signature and length before mapping `length` bytes: both come from memory we
  // have not validated, and a huge length must fail here, not in the reader.
  if (expected != nullptr && !SignatureIs(header.signature, *expected)) {
    return Err(Error::kBadSignature);
  }
  TRY(CheckLength(header.length));
  ByteView whole = TRY(reader.Read(phys, header.length));
  // Validate the full view (its own header copy): the only view the parsers will ever see.
  return ValidateTable(whole, phys, expected, options);
}

Result<RootTable, Error> RootTable::FromTable(const Table& table) {
  uint64_t entry_size = 0;
  if (table.Is("XSDT")) {
    entry_size = 8;
  } else if (table.Is("RSDT")) {
    entry_size = 4;
  } else {
    return Err(Error::kBadSignature);
  }
  // ACPI 6.5 §5.2.7/§5.2.8: the entries fill the rest of the table, so the entry area is a whole
  // number of entries.
  if ((table.bytes.size() - kSdtHeaderSize) % entry_size != 0) return Err(Error::kBadLength);
  return RootTable(table, entry_size);
}

Result<RootTable, Error> RootTable::Load(const PhysReader& reader, const Rsdp& rsdp,
                                         const Options& options) {
  uint64_t address = rsdp.RootTableAddress();
  if (address == 0) return Err(Error::kNoRootTable);
  const Signature expected = rsdp.UsesXsdt() ? Signature("XSDT") : Signature("RSDT");
  Table table = TRY(LoadTable(reader, address, &expected, options));
  return FromTable(table);
}

Result<uint64_t, Error> RootTable::Entry(uint64_t index) const {
  if (index >= EntryCount()) return Err(Error::kOutOfBounds);
  uint64_t offset = kSdtHeaderSize + index * entry_size_;
  if (entry_size_ == 8) return table_.bytes.U64(offset);
  return static_cast<uint64_t>(TRY(table_.bytes.U32(offset)));
}

Result<Table, Error> RootTable::FindTable(const PhysReader& reader, Signature signature,
                                          uint64_t index, const Options& options) const {
  uint64_t seen = 0;
  const uint64_t count = EntryCount();
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t address = TRY(Entry(i));
    if (address == 0) continue;
    Result<ByteView, Error> head = reader.Read(address, kSdtHeaderSize);
    if (!head.ok()) continue;
    if (!head.value().Equals(kSignatureOffset, signature.chars, 4)) continue;
    if (seen++ != index) continue;
    return LoadTable(reader, address, &signature, options);
  }
  return Err(Error::kNotFound);
}

}  // namespace hiillos::acpi
