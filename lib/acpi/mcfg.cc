// lib/acpi/mcfg.cc — MCFG decoding (PCI Firmware specification 3.2 §4.1.2, Table 4-3).
#include "lib/acpi/mcfg.h"

#include "lib/base/checked.h"

namespace hiillos::acpi {
namespace {

constexpr uint64_t kEntriesOffset = 44;  // header + 8 reserved bytes
constexpr uint64_t kEntrySize = 16;

Result<EcamRegion, Error> DecodeRegion(ByteView entry) {
  EcamRegion region;
  region.base_address = TRY(entry.U64(0));
  region.segment = TRY(entry.U16(8));
  region.start_bus = TRY(entry.U8(10));
  region.end_bus = TRY(entry.U8(11));
  if (region.start_bus > region.end_bus) return Err(Error::kBadEntry);
  if (!IsAligned(region.base_address, 4096)) return Err(Error::kBadEntry);
  // The end of the decoded range, base + (end_bus + 1) MiB, must be representable.
  if (!RangeInside(region.base_address, (uint64_t{region.end_bus} + 1) * kEcamBusSize,
                   ~uint64_t{0})) {
    return Err(Error::kBadEntry);
  }
  return region;
}

bool SharesBus(const EcamRegion& a, const EcamRegion& b) {
  return a.segment == b.segment && a.start_bus <= b.end_bus && b.start_bus <= a.end_bus;
}

}  // namespace

Result<Mcfg, Error> ParseMcfg(const Table& table) {
  if (!table.Is("MCFG")) return Err(Error::kBadSignature);
  const ByteView bytes = table.bytes;
  if (bytes.size() < kEntriesOffset) return Err(Error::kBadLength);
  if ((bytes.size() - kEntriesOffset) % kEntrySize != 0) return Err(Error::kBadLength);

  Mcfg mcfg;
  const uint64_t count = (bytes.size() - kEntriesOffset) / kEntrySize;
  if (count > kMaxEcamRegions) return Err(Error::kTooManyEntries);
  for (uint64_t i = 0; i < count; ++i) {
    EcamRegion region =
        TRY(DecodeRegion(TRY(bytes.Sub(kEntriesOffset + i * kEntrySize, kEntrySize))));
    for (uint32_t j = 0; j < mcfg.region_count; ++j) {
      if (SharesBus(mcfg.regions[j], region)) return Err(Error::kBadEntry);
    }
    mcfg.regions[mcfg.region_count++] = region;
  }
  return mcfg;
}

}  // namespace hiillos::acpi
