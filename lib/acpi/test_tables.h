// lib/acpi/test_tables.h — test-only builders for ACPI tables and a fake physical memory.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "lib/acpi/phys_reader.h"

namespace hiillos::acpi::testing {

using Bytes = std::vector<uint8_t>;

// Appends little-endian fields; Finish() patches length and checksum of an SDT.
class TableBuilder {
 public:
  // Starts an SDT with a 36-byte header (length and checksum filled in by Finish()).
  TableBuilder(const char* signature, uint8_t revision);

  TableBuilder& U8(uint8_t v);
  TableBuilder& U16(uint16_t v);
  TableBuilder& U32(uint32_t v);
  TableBuilder& U64(uint64_t v);
  TableBuilder& Zeros(size_t n);
  TableBuilder& Append(const Bytes& bytes);
  // A Generic Address Structure (ACPI 6.5 §5.2.3.2).
  TableBuilder& Gas(uint8_t space, uint8_t width, uint8_t access, uint64_t address);

  size_t size() const { return bytes_.size(); }
  // Sets the length field to the current size and fixes the checksum.
  Bytes Finish() const;
  // Same, but with an arbitrary length field (checksum still fixed over the real bytes).
  Bytes FinishWithLength(uint32_t length) const;

 private:
  Bytes bytes_;
};

// Recomputes byte `checksum_offset` so that bytes[0, length) sums to 0 mod 256.
void FixChecksum(Bytes& bytes, size_t checksum_offset, size_t length);

// An RSDP: revision 0 (20 bytes) or 2 (36 bytes) with valid checksums.
Bytes MakeRsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt);

// XSDT / RSDT listing `entries`.
Bytes MakeXsdt(const std::vector<uint64_t>& entries);
Bytes MakeRsdt(const std::vector<uint32_t>& entries);

// MADT entries (ACPI 6.5 §5.2.12.x).
Bytes LocalApicEntry(uint8_t uid, uint8_t apic_id, uint32_t flags);
Bytes IoApicEntry(uint8_t id, uint32_t address, uint32_t gsi_base);
Bytes OverrideEntry(uint8_t irq, uint32_t gsi, uint16_t flags);
Bytes LocalApicNmiEntry(uint8_t uid, uint16_t flags, uint8_t lint);
Bytes LocalApicAddressEntry(uint64_t address);
Bytes X2ApicEntry(uint32_t apic_id, uint32_t flags, uint32_t uid);
Bytes X2ApicNmiEntry(uint16_t flags, uint32_t uid, uint8_t lint);
Bytes MakeMadt(uint32_t lapic_address, uint32_t flags, const std::vector<Bytes>& entries);

Bytes MakeHpet(uint32_t block_id, uint8_t space, uint64_t address, uint16_t min_tick);
struct McfgEntry {
  uint64_t base;
  uint16_t segment;
  uint8_t start_bus;
  uint8_t end_bus;
};
Bytes MakeMcfg(const std::vector<McfgEntry>& entries);
// A FADT of `length` bytes (>= 116) and `revision` with the fields Discover reads.
Bytes MakeFadt(uint8_t revision, uint32_t length, uint16_t boot_arch, uint32_t pm_timer_port,
               uint32_t flags);

// A byte buffer posing as physical memory [0, size).
class FakeMemory {
 public:
  explicit FakeMemory(size_t size) : bytes_(size, 0) {}
  FakeMemory(const uint8_t* data, size_t size) : bytes_(data, data + size) {}

  void Place(uint64_t phys, const Bytes& bytes);
  Bytes& bytes() { return bytes_; }
  PhysReader Reader() { return PhysReader(&FakeMemory::Read, this); }
  // The largest length ever requested (to show huge lengths never reach the reader).
  uint64_t max_read_length() const { return max_read_length_; }

 private:
  static Result<ByteView, Error> Read(void* context, uint64_t phys, uint64_t length);

  Bytes bytes_;
  uint64_t max_read_length_ = 0;
};

// The addresses of the q35-like image below.
inline constexpr uint64_t kQ35Rsdp = 0x100;
inline constexpr uint64_t kQ35Xsdt = 0x200;
inline constexpr uint64_t kQ35Fadt = 0x400;
inline constexpr uint64_t kQ35Madt = 0x600;
inline constexpr uint64_t kQ35Hpet = 0x800;
inline constexpr uint64_t kQ35Mcfg = 0x900;
inline constexpr uint64_t kQ35Waet = 0xa00;
inline constexpr size_t kQ35MemorySize = 0x1000;

// Tables like QEMU q35 + OVMF: 2 CPUs, IOAPIC at 0xfec00000, ISO IRQ0->GSI2 (+ level IRQs 5, 9,
// 10, 11), LAPIC NMI on LINT1, HPET at 0xfed00000, MCFG 0xb0000000 buses 0-255, FADT revision
// 3 with the 8042 flag and PM timer at port 0x608, and an unrelated WAET.
FakeMemory MakeQ35Memory();

}  // namespace hiillos::acpi::testing
