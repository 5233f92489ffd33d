// lib/acpi/fadt.cc — minimal FADT decoding (ACPI 6.5 §5.2.9, Table 5.9).
#include "lib/acpi/fadt.h"

namespace hiillos::acpi {
namespace {

// ACPI 6.5 Table 5.9 field offsets.
constexpr uint64_t kDsdtOffset = 40;
constexpr uint64_t kSciIntOffset = 46;
constexpr uint64_t kPmTimerBlockOffset = 76;
constexpr uint64_t kPmTimerLengthOffset = 91;
constexpr uint64_t kCenturyOffset = 108;
constexpr uint64_t kIapcBootArchOffset = 109;
constexpr uint64_t kFlagsOffset = 112;
constexpr uint64_t kXDsdtOffset = 140;
constexpr uint64_t kXPmTimerBlockOffset = 208;

// The I/O port PM timer block is 4 bytes long when supported (§5.2.9, PM_TMR_LEN).
constexpr uint8_t kPmTimerLength = 4;

Result<PmTimer, Error> DecodePmTimer(ByteView bytes, uint8_t revision, uint32_t flags) {
  PmTimer timer;
  // §5.2.9: hardware-reduced platforms ignore every fixed hardware block, the timer included.
  if ((flags & kFadtHardwareReduced) != 0) return timer;
  timer.is_32bit = (flags & kFadtTimerValueExtended) != 0;
  // ACPI 2.0+ (revision >= 3): a non-zero X_PM_TMR_BLK supersedes PM_TMR_BLK.
  if (revision >= 3 && RangeInside(kXPmTimerBlockOffset, kGenericAddressSize, bytes.size())) {
    GenericAddress x = TRY(ParseGenericAddress(bytes, kXPmTimerBlockOffset));
    if (x.address != 0) {
      if (!x.In(AddressSpace::kSystemIo) && !x.In(AddressSpace::kSystemMemory)) {
        return Err(Error::kBadAddressSpace);
      }
      timer.present = true;
      timer.address = x;
      return timer;
    }
  }
  uint32_t port = TRY(bytes.U32(kPmTimerBlockOffset));
  uint8_t length = TRY(bytes.U8(kPmTimerLengthOffset));
  if (port == 0 || length != kPmTimerLength) {
    timer.is_32bit = false;
    return timer;  // no PM timer (allowed, e.g. on hardware-reduced platforms)
  }
  timer.present = true;
  timer.address.space_id = static_cast<uint8_t>(AddressSpace::kSystemIo);
  timer.address.bit_width = 32;
  timer.address.access_size = 3;
  timer.address.address = port;
  return timer;
}

}  // namespace

Result<Fadt, Error> ParseFadt(const Table& table) {
  if (!table.Is("FACP")) return Err(Error::kBadSignature);
  const ByteView bytes = table.bytes;
  if (bytes.size() < kFadtMinimumSize) return Err(Error::kBadLength);

  Fadt fadt;
  fadt.revision = table.header.revision;
  fadt.sci_interrupt = TRY(bytes.U16(kSciIntOffset));
  fadt.century = TRY(bytes.U8(kCenturyOffset));
  // IAPC_BOOT_ARCH was reserved in the ACPI 1.0 (revision 1) FADT.
  if (fadt.revision >= 2) {
    fadt.boot_arch_valid = true;
    fadt.iapc_boot_arch = TRY(bytes.U16(kIapcBootArchOffset));
  }
  fadt.flags = TRY(bytes.U32(kFlagsOffset));
  fadt.dsdt_address = TRY(bytes.U32(kDsdtOffset));
  if (fadt.revision >= 3 && RangeInside(kXDsdtOffset, 8, bytes.size())) {
    uint64_t x_dsdt = TRY(bytes.U64(kXDsdtOffset));
    if (x_dsdt != 0) fadt.dsdt_address = x_dsdt;
  }
  fadt.pm_timer = TRY(DecodePmTimer(bytes, fadt.revision, fadt.flags));
  return fadt;
}

}  // namespace hiillos::acpi
