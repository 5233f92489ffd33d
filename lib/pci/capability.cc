// lib/pci/capability.cc — bounded capability-list walk and MSI/MSI-X decoding.
#include "lib/pci/capability.h"

namespace hiillos::pci {
namespace {

constexpr uint16_t kMsiControl64Bit = 1u << 7;
constexpr uint16_t kMsiControlPerVectorMask = 1u << 8;
constexpr uint16_t kMsiControlCapableShift = 1;
constexpr uint16_t kMsiControlCapableMask = 0x7;
constexpr uint8_t kMsiMaxVectorsLog2 = 5;  // 32 vectors; encodings 6 and 7 are reserved
constexpr uint16_t kMsixControlTableSizeMask = 0x7FF;
constexpr uint32_t kMsixBirMask = 0x7;
constexpr uint8_t kMsixLength = 12;
constexpr uint16_t kLegacyHeaderEnd = 0x100;

bool FitsInHeader(uint8_t offset, uint8_t length) {
  return offset + length <= kLegacyHeaderEnd;
}

Result<MsiCapability, Error> DecodeMsi(ConfigSpace& config, FunctionAddress address,
                                       uint8_t offset) {
  const uint16_t control = config.Read16(address, offset + 2);
  MsiCapability msi{
      .present = true,
      .offset = offset,
      .is_64bit = (control & kMsiControl64Bit) != 0,
      .per_vector_masking = (control & kMsiControlPerVectorMask) != 0,
      .max_vectors_log2 =
          static_cast<uint8_t>((control >> kMsiControlCapableShift) & kMsiControlCapableMask),
  };
  if (msi.max_vectors_log2 > kMsiMaxVectorsLog2) msi.max_vectors_log2 = kMsiMaxVectorsLog2;
  if (!FitsInHeader(offset, msi.Length())) return Err(Error::kCapabilityPointerOutOfRange);
  return msi;
}

Result<MsixCapability, Error> DecodeMsix(ConfigSpace& config, FunctionAddress address,
                                         uint8_t offset, uint8_t bar_count) {
  if (!FitsInHeader(offset, kMsixLength)) return Err(Error::kCapabilityPointerOutOfRange);
  const uint16_t control = config.Read16(address, offset + 2);
  const uint32_t table = config.Read32(address, offset + 4);
  const uint32_t pba = config.Read32(address, offset + 8);
  MsixCapability msix{
      .present = true,
      .offset = offset,
      .table_size = static_cast<uint16_t>((control & kMsixControlTableSizeMask) + 1),
      .table_bar = static_cast<uint8_t>(table & kMsixBirMask),
      .table_offset = table & ~kMsixBirMask,
      .pba_bar = static_cast<uint8_t>(pba & kMsixBirMask),
      .pba_offset = pba & ~kMsixBirMask,
  };
  if (msix.table_bar >= bar_count || msix.pba_bar >= bar_count) return Err(Error::kBadMsixBar);
  return msix;
}

}  // namespace

Result<void, Error> ReadCapabilities(ConfigSpace& config, FunctionAddress address,
                                     uint8_t bar_count, CapabilityList& out) {
  out = CapabilityList{};
  if ((config.Read16(address, kRegStatus) & kStatusCapabilitiesList) == 0) {
    return Ok<Error>();
  }
  // One bit per dword of 0x40..0xFF: an entry seen twice is a loop.
  uint64_t visited = 0;
  uint8_t pointer = config.Read8(address, kRegCapabilitiesPointer) & 0xFC;
  while (pointer != 0) {
    if (pointer < kFirstCapabilityOffset) return Err(Error::kCapabilityPointerOutOfRange);
    const uint64_t bit = uint64_t{1} << ((pointer - kFirstCapabilityOffset) / 4);
    if (visited & bit) return Err(Error::kCapabilityLoop);
    visited |= bit;
    // 48 dwords and every one visited at most once: out.entries never overflows.
    const uint8_t id = config.Read8(address, pointer);
    out.entries[out.count++] = Capability{.id = id, .offset = pointer};
    if (id == kCapabilityIdMsi && !out.msi.present) {
      out.msi = TRY(DecodeMsi(config, address, pointer));
    } else if (id == kCapabilityIdMsix && !out.msix.present) {
      out.msix = TRY(DecodeMsix(config, address, pointer, bar_count));
    }
    pointer = config.Read8(address, pointer + 1) & 0xFC;
  }
  return Ok<Error>();
}

}  // namespace hiillos::pci
