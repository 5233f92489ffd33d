// lib/acpi/madt.cc — MADT entry walk (ACPI 6.5 §5.2.12) with every entry length checked.
#include "lib/acpi/madt.h"

namespace hiillos::acpi {
namespace {

// ACPI 6.5 Table 5.19: fixed fields after the SDT header.
constexpr uint64_t kLocalApicAddressOffset = 36;
constexpr uint64_t kFlagsOffset = 40;
constexpr uint64_t kEntriesOffset = 44;
constexpr uint32_t kPcatCompat = 1u << 0;

// ACPI 6.5 Table 5.21: interrupt controller structure types, with their minimum lengths.
constexpr uint8_t kTypeLocalApic = 0;         // §5.2.12.2, 8 bytes
constexpr uint8_t kTypeIoApic = 1;            // §5.2.12.3, 12 bytes
constexpr uint8_t kTypeOverride = 2;          // §5.2.12.5, 10 bytes
constexpr uint8_t kTypeLocalApicNmi = 4;      // §5.2.12.7, 6 bytes
constexpr uint8_t kTypeLocalApicAddress = 5;  // §5.2.12.8, 12 bytes
constexpr uint8_t kTypeLocalX2Apic = 9;       // §5.2.12.12, 16 bytes
constexpr uint8_t kTypeLocalX2ApicNmi = 0xa;  // §5.2.12.13, 12 bytes

constexpr uint8_t MinimumLength(uint8_t type) {
  switch (type) {
    case kTypeLocalApic:
      return 8;
    case kTypeIoApic:
      return 12;
    case kTypeOverride:
      return 10;
    case kTypeLocalApicNmi:
      return 6;
    case kTypeLocalApicAddress:
      return 12;
    case kTypeLocalX2Apic:
      return 16;
    case kTypeLocalX2ApicNmi:
      return 12;
    default:
      return 2;  // unknown types: only the type/length header is required
  }
}

// Local APIC flags (ACPI 6.5 Table 5.23), shared by x2APIC entries.
constexpr uint32_t kCpuEnabled = 1u << 0;
constexpr uint32_t kCpuOnlineCapable = 1u << 1;
// 8-bit processor UID meaning "all processors" in a type 4 entry (§5.2.12.7).
constexpr uint8_t kAllProcessors8 = 0xff;

struct Inti {
  Polarity polarity;
  Trigger trigger;
};

Result<Inti, Error> DecodeInti(uint16_t flags) {
  uint16_t po = flags & 0x3;
  uint16_t el = (flags >> 2) & 0x3;
  if (po == 2 || el == 2) return Err(Error::kBadEntry);
  return Inti{static_cast<Polarity>(po), static_cast<Trigger>(el)};
}

Result<void, Error> AddCpu(Madt& madt, uint32_t apic_id, uint32_t uid, uint32_t flags,
                           bool from_x2apic) {
  if ((flags & kCpuEnabled) == 0) {
    if ((flags & kCpuOnlineCapable) != 0) ++madt.hotplug_cpu_count;
    return Ok<Error>();
  }
  // Firmware may describe a processor twice (type 0 and type 9); start it only once.
  for (uint32_t i = 0; i < madt.cpu_count; ++i) {
    if (madt.cpus[i].apic_id == apic_id) return Ok<Error>();
  }
  if (madt.cpu_count == kMaxCpus) return Err(Error::kTooManyEntries);
  madt.cpus[madt.cpu_count++] = Cpu{apic_id, uid, from_x2apic};
  return Ok<Error>();
}

Result<void, Error> AddNmi(Madt& madt, uint32_t uid, uint8_t lint, uint16_t inti_flags) {
  if (lint > 1) return Err(Error::kBadEntry);
  Inti inti = TRY(DecodeInti(inti_flags));
  LocalNmi nmi;
  nmi.uid = uid;
  nmi.lint = lint;
  nmi.polarity = inti.polarity;
  nmi.trigger = inti.trigger;
  if (madt.local_nmi_count == kMaxLocalNmis) return Err(Error::kTooManyEntries);
  madt.local_nmis[madt.local_nmi_count++] = nmi;
  return Ok<Error>();
}

// Decodes one entry; `entry` is exactly the entry's bytes, at least MinimumLength(type) long.
Result<void, Error> DecodeEntry(Madt& madt, uint8_t type, ByteView entry) {
  switch (type) {
    case kTypeLocalApic: {
      uint8_t uid = TRY(entry.U8(2));
      uint8_t apic_id = TRY(entry.U8(3));
      return AddCpu(madt, apic_id, uid, TRY(entry.U32(4)), false);
    }
    case kTypeIoApic: {
      if (madt.io_apic_count == kMaxIoApics) return Err(Error::kTooManyEntries);
      IoApic io_apic;
      io_apic.id = TRY(entry.U8(2));
      io_apic.address = TRY(entry.U32(4));
      io_apic.gsi_base = TRY(entry.U32(8));
      madt.io_apics[madt.io_apic_count++] = io_apic;
      return Ok<Error>();
    }
    case kTypeOverride: {
      InterruptOverride iso;
      iso.bus = TRY(entry.U8(2));
      iso.source_irq = TRY(entry.U8(3));
      iso.gsi = TRY(entry.U32(4));
      Inti inti = TRY(DecodeInti(TRY(entry.U16(8))));
      iso.polarity = inti.polarity;
      iso.trigger = inti.trigger;
      if (madt.override_count == kMaxOverrides) return Err(Error::kTooManyEntries);
      madt.overrides[madt.override_count++] = iso;
      return Ok<Error>();
    }
    case kTypeLocalApicNmi: {
      uint8_t uid8 = TRY(entry.U8(2));
      uint32_t uid = uid8 == kAllProcessors8 ? kAllProcessors : uid8;
      return AddNmi(madt, uid, TRY(entry.U8(5)), TRY(entry.U16(3)));
    }
    case kTypeLocalApicAddress: {
      // §5.2.12.8: at most one; when present it replaces the 32-bit header field. If firmware
      // supplies several anyway, the last one wins.
      madt.local_apic_address = TRY(entry.U64(4));
      madt.local_apic_address_overridden = true;
      return Ok<Error>();
    }
    case kTypeLocalX2Apic: {
      uint32_t apic_id = TRY(entry.U32(4));
      uint32_t flags = TRY(entry.U32(8));
      return AddCpu(madt, apic_id, TRY(entry.U32(12)), flags, true);
    }
    case kTypeLocalX2ApicNmi:
      return AddNmi(madt, TRY(entry.U32(4)), TRY(entry.U8(8)), TRY(entry.U16(2)));
    default:
      return Ok<Error>();  // a type we do not use (SAPIC, GIC, ...): skipped by its length
  }
}

}  // namespace

Result<Madt, Error> ParseMadt(const Table& table) {
  if (!table.Is("APIC")) return Err(Error::kBadSignature);
  const ByteView bytes = table.bytes;
  if (bytes.size() < kEntriesOffset) return Err(Error::kBadLength);

  Madt madt;
  madt.local_apic_address = TRY(bytes.U32(kLocalApicAddressOffset));
  madt.flags = TRY(bytes.U32(kFlagsOffset));
  madt.pcat_compat = (madt.flags & kPcatCompat) != 0;

  // Each iteration advances by at least 2 bytes (length >= 2 is checked), so the walk ends.
  uint64_t offset = kEntriesOffset;
  while (offset < bytes.size()) {
    // A lone trailing byte cannot hold the type/length header.
    uint8_t type = TRY(bytes.U8(offset));
    Result<uint8_t, Error> length = bytes.U8(offset + 1);
    if (!length.ok()) return Err(Error::kBadEntry);
    if (length.value() < 2 || length.value() < MinimumLength(type)) return Err(Error::kBadEntry);
    Result<ByteView, Error> entry = bytes.Sub(offset, length.value());
    if (!entry.ok()) return Err(Error::kBadEntry);  // crosses the end of the table
    TRY(DecodeEntry(madt, type, entry.value()));
    offset += length.value();
  }
  return madt;
}

}  // namespace hiillos::acpi
