// lib/acpi/rsdp.cc — RSDP validation (ACPI 6.5 §5.2.5.3).
#include "lib/acpi/rsdp.h"

namespace hiillos::acpi {
namespace {

// ACPI 6.5 Table 5.3 field offsets.
constexpr uint64_t kSignatureOffset = 0;
constexpr uint64_t kOemIdOffset = 9;
constexpr uint64_t kRevisionOffset = 15;
constexpr uint64_t kRsdtAddressOffset = 16;
constexpr uint64_t kLengthOffset = 20;
constexpr uint64_t kXsdtAddressOffset = 24;

// The ACPI 1.0 part: signature, first checksum, revision, OEM id, RSDT address.
Result<Rsdp, Error> ParseV1(ByteView bytes, const Options& options) {
  ByteView v1 = TRY(bytes.Prefix(kRsdpV1Size));
  if (!v1.Equals(kSignatureOffset, "RSD PTR ", 8)) return Err(Error::kBadSignature);
  // The first checksum covers the ACPI 1.0 part only, whatever the revision.
  if (options.verify_checksums && v1.Sum() != 0) return Err(Error::kBadChecksum);

  Rsdp rsdp;
  rsdp.revision = TRY(v1.U8(kRevisionOffset));
  for (uint64_t i = 0; i < sizeof(rsdp.oem_id); ++i) {
    rsdp.oem_id[i] = static_cast<char>(TRY(v1.U8(kOemIdOffset + i)));
  }
  rsdp.rsdt_address = TRY(v1.U32(kRsdtAddressOffset));
  rsdp.length = kRsdpV1Size;
  return rsdp;
}

}  // namespace

Result<Rsdp, Error> ParseRsdp(ByteView bytes, const Options& options) {
  Rsdp rsdp = TRY(ParseV1(bytes, options));
  if (rsdp.revision < 2) return rsdp;

  // Revision >= 2: `length` covers the whole structure and the extended checksum sums it.
  uint32_t length = TRY(bytes.U32(kLengthOffset));
  if (length < kRsdpV2Size) return Err(Error::kBadLength);
  if (length > kMaxRsdpLength) return Err(Error::kTableTooLarge);
  ByteView full = TRY(bytes.Prefix(length));
  if (options.verify_checksums && full.Sum() != 0) return Err(Error::kBadChecksum);
  rsdp.length = length;
  rsdp.xsdt_address = TRY(full.U64(kXsdtAddressOffset));
  return rsdp;
}

Result<Rsdp, Error> ReadRsdp(const PhysReader& reader, uint64_t phys, const Options& options) {
  ByteView v1 = TRY(reader.Read(phys, kRsdpV1Size));
  Rsdp rsdp = TRY(ParseV1(v1, options));
  if (rsdp.revision < 2) return rsdp;
  // Read the extension only now that the 1.0 part checked out; the length comes from memory
  // we have not validated yet, so ParseRsdp bounds it again on the full view.
  ByteView head = TRY(reader.Read(phys, kRsdpV2Size));
  uint32_t length = TRY(head.U32(kLengthOffset));
  if (length < kRsdpV2Size) return Err(Error::kBadLength);
  if (length > kMaxRsdpLength) return Err(Error::kTableTooLarge);
  ByteView full = TRY(reader.Read(phys, length));
  return ParseRsdp(full, options);
}

}  // namespace hiillos::acpi
