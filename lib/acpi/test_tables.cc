// lib/acpi/test_tables.cc — test-only ACPI table builders and fake physical memory.
#include "lib/acpi/test_tables.h"

#include <string.h>

#include "lib/base/checked.h"

namespace hiillos::acpi::testing {
namespace {

void Put(Bytes& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void Patch32(Bytes& out, size_t offset, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[offset + i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

TableBuilder::TableBuilder(const char* signature, uint8_t revision) {
  for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<uint8_t>(signature[i]));
  U32(0);        // length
  U8(revision);  // revision
  U8(0);         // checksum
  for (char c : std::string("HIILOS")) U8(static_cast<uint8_t>(c));
  for (char c : std::string("TESTTABL")) U8(static_cast<uint8_t>(c));
  U32(1);           // OEM revision
  U32(0x54534554);  // creator id "TEST"
  U32(1);           // creator revision
}

TableBuilder& TableBuilder::U8(uint8_t v) {
  Put(bytes_, v, 1);
  return *this;
}
TableBuilder& TableBuilder::U16(uint16_t v) {
  Put(bytes_, v, 2);
  return *this;
}
TableBuilder& TableBuilder::U32(uint32_t v) {
  Put(bytes_, v, 4);
  return *this;
}
TableBuilder& TableBuilder::U64(uint64_t v) {
  Put(bytes_, v, 8);
  return *this;
}
TableBuilder& TableBuilder::Zeros(size_t n) {
  bytes_.insert(bytes_.end(), n, 0);
  return *this;
}
TableBuilder& TableBuilder::Append(const Bytes& bytes) {
  bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
  return *this;
}
TableBuilder& TableBuilder::Gas(uint8_t space, uint8_t width, uint8_t access, uint64_t address) {
  return U8(space).U8(width).U8(0).U8(access).U64(address);
}

Bytes TableBuilder::Finish() const {
  return FinishWithLength(static_cast<uint32_t>(size()));
}

Bytes TableBuilder::FinishWithLength(uint32_t length) const {
  Bytes out = bytes_;
  Patch32(out, 4, length);
  FixChecksum(out, 9, out.size());
  return out;
}

void FixChecksum(Bytes& bytes, size_t checksum_offset, size_t length) {
  bytes[checksum_offset] = 0;
  uint8_t sum = 0;
  for (size_t i = 0; i < length; ++i) sum = static_cast<uint8_t>(sum + bytes[i]);
  bytes[checksum_offset] = static_cast<uint8_t>(-sum);
}

Bytes MakeRsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt) {
  Bytes out;
  for (char c : std::string("RSD PTR ")) out.push_back(static_cast<uint8_t>(c));
  out.push_back(0);  // checksum
  for (char c : std::string("HIILOS")) out.push_back(static_cast<uint8_t>(c));
  out.push_back(revision);
  Put(out, rsdt, 4);
  if (revision >= 2) {
    Put(out, 36, 4);  // length
    Put(out, xsdt, 8);
    out.push_back(0);  // extended checksum
    Put(out, 0, 3);
    FixChecksum(out, 8, 20);
    FixChecksum(out, 32, 36);
  } else {
    FixChecksum(out, 8, 20);
  }
  return out;
}

Bytes MakeXsdt(const std::vector<uint64_t>& entries) {
  TableBuilder t("XSDT", 1);
  for (uint64_t e : entries) t.U64(e);
  return t.Finish();
}

Bytes MakeRsdt(const std::vector<uint32_t>& entries) {
  TableBuilder t("RSDT", 1);
  for (uint32_t e : entries) t.U32(e);
  return t.Finish();
}

Bytes LocalApicEntry(uint8_t uid, uint8_t apic_id, uint32_t flags) {
  Bytes out{0, 8, uid, apic_id};
  Put(out, flags, 4);
  return out;
}
Bytes IoApicEntry(uint8_t id, uint32_t address, uint32_t gsi_base) {
  Bytes out{1, 12, id, 0};
  Put(out, address, 4);
  Put(out, gsi_base, 4);
  return out;
}
Bytes OverrideEntry(uint8_t irq, uint32_t gsi, uint16_t flags) {
  Bytes out{2, 10, 0, irq};
  Put(out, gsi, 4);
  Put(out, flags, 2);
  return out;
}
Bytes LocalApicNmiEntry(uint8_t uid, uint16_t flags, uint8_t lint) {
  Bytes out{4, 6, uid};
  Put(out, flags, 2);
  out.push_back(lint);
  return out;
}
Bytes LocalApicAddressEntry(uint64_t address) {
  Bytes out{5, 12, 0, 0};
  Put(out, address, 8);
  return out;
}
Bytes X2ApicEntry(uint32_t apic_id, uint32_t flags, uint32_t uid) {
  Bytes out{9, 16, 0, 0};
  Put(out, apic_id, 4);
  Put(out, flags, 4);
  Put(out, uid, 4);
  return out;
}
Bytes X2ApicNmiEntry(uint16_t flags, uint32_t uid, uint8_t lint) {
  Bytes out{0xa, 12};
  Put(out, flags, 2);
  Put(out, uid, 4);
  out.push_back(lint);
  Put(out, 0, 3);
  return out;
}
Bytes MakeMadt(uint32_t lapic_address, uint32_t flags, const std::vector<Bytes>& entries) {
  TableBuilder t("APIC", 3);
  t.U32(lapic_address).U32(flags);
  for (const Bytes& e : entries) t.Append(e);
  return t.Finish();
}

Bytes MakeHpet(uint32_t block_id, uint8_t space, uint64_t address, uint16_t min_tick) {
  TableBuilder t("HPET", 1);
  t.U32(block_id).Gas(space, 64, 0, address).U8(0).U16(min_tick).U8(0);
  return t.Finish();
}

Bytes MakeMcfg(const std::vector<McfgEntry>& entries) {
  TableBuilder t("MCFG", 1);
  t.Zeros(8);
  for (const McfgEntry& e : entries) {
    t.U64(e.base).U16(e.segment).U8(e.start_bus).U8(e.end_bus).U32(0);
  }
  return t.Finish();
}

Bytes MakeFadt(uint8_t revision, uint32_t length, uint16_t boot_arch, uint32_t pm_timer_port,
               uint32_t flags) {
  TableBuilder t("FACP", revision);
  t.Zeros(length - t.size());
  Bytes out = t.Finish();
  auto put = [&out](size_t offset, uint64_t v, int n) {
    if (offset + n > out.size()) return;
    for (int i = 0; i < n; ++i) out[offset + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  put(40, 0x3000, 4);         // DSDT
  put(46, 9, 2);              // SCI_INT
  put(76, pm_timer_port, 4);  // PM_TMR_BLK
  put(91, 4, 1);              // PM_TMR_LEN
  put(108, 0x32, 1);          // CENTURY
  put(109, boot_arch, 2);     // IAPC_BOOT_ARCH
  put(112, flags, 4);         // Flags
  if (revision >= 3) {
    put(140, 0x3000, 8);  // X_DSDT
    if (pm_timer_port != 0) {
      put(208, 1, 1);              // X_PM_TMR_BLK: system I/O
      put(209, 32, 1);             // bit width
      put(211, 3, 1);              // dword access
      put(212, pm_timer_port, 8);  // address
    }
  }
  FixChecksum(out, 9, out.size());
  return out;
}

void FakeMemory::Place(uint64_t phys, const Bytes& bytes) {
  if (bytes_.size() < phys + bytes.size()) bytes_.resize(phys + bytes.size(), 0);
  memcpy(bytes_.data() + phys, bytes.data(), bytes.size());
}

Result<ByteView, Error> FakeMemory::Read(void* context, uint64_t phys, uint64_t length) {
  auto* self = static_cast<FakeMemory*>(context);
  if (length > self->max_read_length_) self->max_read_length_ = length;
  if (!RangeInside(phys, length, self->bytes_.size())) return Err(Error::kReadFailed);
  return ByteView(self->bytes_.data() + phys, length);
}

FakeMemory MakeQ35Memory() {
  FakeMemory memory(kQ35MemorySize);
  memory.Place(kQ35Rsdp, MakeRsdp(2, 0, kQ35Xsdt));
  memory.Place(kQ35Xsdt, MakeXsdt({kQ35Fadt, kQ35Madt, kQ35Hpet, kQ35Mcfg, kQ35Waet}));
  // FADT revision 3, 244 bytes: 8042 present, PM timer at 0x608, TMR_VAL_EXT set.
  memory.Place(kQ35Fadt, MakeFadt(3, 244, 0x0002, 0x608, 1u << 8));
  memory.Place(kQ35Madt, MakeMadt(0xfee00000, 1,
                                  {LocalApicEntry(0, 0, 1), LocalApicEntry(1, 1, 1),
                                   IoApicEntry(0, 0xfec00000, 0), OverrideEntry(0, 2, 0),
                                   OverrideEntry(5, 5, 0xd), OverrideEntry(9, 9, 0xd),
                                   OverrideEntry(10, 10, 0xd), OverrideEntry(11, 11, 0xd),
                                   LocalApicNmiEntry(0xff, 0, 1)}));
  memory.Place(kQ35Hpet, MakeHpet(0x8086a201, 0, 0xfed00000, 0x80));
  memory.Place(kQ35Mcfg, MakeMcfg({{0xb0000000, 0, 0, 255}}));
  TableBuilder waet("WAET", 1);
  waet.U32(2);
  memory.Place(kQ35Waet, waet.Finish());
  return memory;
}

}  // namespace hiillos::acpi::testing
