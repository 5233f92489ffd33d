// bootloader/rsdp_scan.cc — the legacy-BIOS RSDP search, every read bounds-checked.
#include "bootloader/rsdp_scan.h"

namespace hiillos::loader {
namespace {

constexpr uint64_t kEbdaSegmentPointer = 0x40e;
constexpr uint64_t kEbdaSearchBytes = 1024;
constexpr uint64_t kBiosAreaStart = 0xe0000;
constexpr uint64_t kBiosAreaEnd = 0x100000;
constexpr uint64_t kRsdpV1Size = 20;
constexpr uint64_t kRsdpV2MinSize = 36;
constexpr uint64_t kRsdpMaxSize = 4096;

bool HasSignature(const uint8_t* bytes) {
  const char signature[] = "RSD PTR ";
  for (int i = 0; i < 8; ++i) {
    if (bytes[i] != static_cast<uint8_t>(signature[i])) return false;
  }
  return true;
}

bool SumsToZero(const uint8_t* bytes, uint64_t length) {
  uint8_t sum = 0;
  for (uint64_t i = 0; i < length; ++i) sum = static_cast<uint8_t>(sum + bytes[i]);
  return sum == 0;
}

uint64_t ScanRange(const PhysicalView& memory, uint64_t start, uint64_t end) {
  for (uint64_t at = (start + 15) & ~15ull; at + kRsdpV1Size <= end; at += 16) {
    if (IsValidRsdp(memory, at)) return at;
  }
  return 0;
}

}  // namespace

bool IsValidRsdp(const PhysicalView& memory, uint64_t phys) {
  const uint8_t* v1 = memory.Bytes(phys, kRsdpV1Size);
  if (v1 == nullptr || !HasSignature(v1) || !SumsToZero(v1, kRsdpV1Size)) {
    return false;
  }
  const uint8_t revision = v1[15];
  if (revision < 2) return true;
  const uint8_t* header = memory.Bytes(phys, kRsdpV2MinSize);
  if (header == nullptr) return false;
  const uint32_t length = Load32(header + 20);
  if (length < kRsdpV2MinSize || length > kRsdpMaxSize) return false;
  const uint8_t* whole = memory.Bytes(phys, length);
  return whole != nullptr && SumsToZero(whole, length);
}

uint64_t ScanLegacyRsdp(const PhysicalView& memory) {
  if (const uint8_t* pointer = memory.Bytes(kEbdaSegmentPointer, 2); pointer != nullptr) {
    const uint64_t ebda = static_cast<uint64_t>(Load16(pointer)) << 4;
    if (ebda != 0) {
      if (uint64_t found = ScanRange(memory, ebda, ebda + kEbdaSearchBytes); found != 0) {
        return found;
      }
    }
  }
  return ScanRange(memory, kBiosAreaStart, kBiosAreaEnd);
}

}  // namespace hiillos::loader
