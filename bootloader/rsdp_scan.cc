// bootloader/rsdp_scan.cc — the legacy-BIOS RSDP search; each candidate is checked by lib/acpi's
// ReadRsdp (signature, checksums, length) through a PhysicalView.
#include "bootloader/rsdp_scan.h"

#include "lib/acpi/rsdp.h"

namespace hiillos::loader {
namespace {

constexpr uint64_t kEbdaSegmentPointer = 0x40e;
constexpr uint64_t kEbdaSearchBytes = 1024;
constexpr uint64_t kBiosAreaStart = 0xe0000;
constexpr uint64_t kBiosAreaEnd = 0x100000;

Result<acpi::ByteView, acpi::Error> ReadPhysical(void* context, uint64_t phys, uint64_t length) {
  const uint8_t* bytes = static_cast<const PhysicalView*>(context)->Bytes(phys, length);
  if (bytes == nullptr) return Err(acpi::Error::kReadFailed);
  return acpi::ByteView(bytes, length);
}

uint64_t ScanRange(const PhysicalView& memory, uint64_t start, uint64_t end) {
  for (uint64_t at = (start + 15) & ~15ull; at + acpi::kRsdpV1Size <= end; at += 16) {
    if (IsValidRsdp(memory, at)) return at;
  }
  return 0;
}

}  // namespace

bool IsValidRsdp(const PhysicalView& memory, uint64_t phys) {
  const acpi::PhysReader reader(ReadPhysical, const_cast<PhysicalView*>(&memory));
  return acpi::ReadRsdp(reader, phys).ok();
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
