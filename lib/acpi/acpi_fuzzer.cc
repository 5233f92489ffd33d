// lib/acpi/acpi_fuzzer.cc — libFuzzer target: the input is physical memory, the RSDP at 0.
//
// Runs Discover() with and without checksum verification (without, the mutator reaches the
// table parsers instead of dying at the first checksum), then every parser on every table the
// root table lists, and checks the invariants the kernel relies on.
#include <stddef.h>
#include <stdint.h>

#include "lib/acpi/discover.h"
#include "lib/acpi/sdt.h"

namespace hiillos::acpi {
namespace {

struct FuzzMemory {
  const uint8_t* data;
  size_t size;
};

Result<ByteView, Error> ReadFuzzMemory(void* context, uint64_t phys, uint64_t length) {
  auto* memory = static_cast<FuzzMemory*>(context);
  if (!RangeInside(phys, length, memory->size)) return Err(Error::kReadFailed);
  return ByteView(memory->data + phys, length);
}

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckMadt(const Madt& madt) {
  Check(madt.cpu_count <= kMaxCpus);
  Check(madt.io_apic_count <= kMaxIoApics);
  Check(madt.override_count <= kMaxOverrides);
  Check(madt.local_nmi_count <= kMaxLocalNmis);
  for (uint32_t i = 0; i < madt.cpu_count; ++i) {
    for (uint32_t j = 0; j < i; ++j) Check(madt.cpus[i].apic_id != madt.cpus[j].apic_id);
  }
  for (uint32_t i = 0; i < madt.local_nmi_count; ++i) Check(madt.local_nmis[i].lint <= 1);
}

void CheckMcfg(const Mcfg& mcfg) {
  Check(mcfg.region_count <= kMaxEcamRegions);
  for (uint32_t i = 0; i < mcfg.region_count; ++i) {
    const EcamRegion& r = mcfg.regions[i];
    Check(r.start_bus <= r.end_bus);
    Check(RangeInside(r.PhysStart(), r.PhysSize(), ~uint64_t{0}));
  }
}

void CheckInfo(const AcpiInfo& info) {
  CheckMadt(info.madt);
  if (info.mcfg.valid()) CheckMcfg(info.mcfg.value);
  if (info.hpet.valid()) Check(info.hpet.value.base_address != 0);
  if (info.fadt.state != TableState::kValid) {
    Check(info.ps2_controller == Ps2Controller::kUnknown);
  }
}

void ParseEveryTable(const PhysReader& reader, const Options& options) {
  Result<Rsdp, Error> rsdp = ReadRsdp(reader, 0, options);
  if (!rsdp.ok()) return;
  Result<RootTable, Error> root = RootTable::Load(reader, rsdp.value(), options);
  if (!root.ok()) return;
  const uint64_t count = root.value().EntryCount();
  for (uint64_t i = 0; i < count && i < 64; ++i) {
    Result<uint64_t, Error> address = root.value().Entry(i);
    Check(address.ok());
    Result<Table, Error> table = LoadTable(reader, address.value(), nullptr, options);
    if (!table.ok()) continue;
    Check(table.value().bytes.size() == table.value().header.length);
    Check(table.value().bytes.size() >= kSdtHeaderSize);
    Result<Madt, Error> madt = ParseMadt(table.value());
    if (madt.ok()) CheckMadt(madt.value());
    Result<Mcfg, Error> mcfg = ParseMcfg(table.value());
    if (mcfg.ok()) CheckMcfg(mcfg.value());
    (void)ParseHpet(table.value()).ok();
    (void)ParseFadt(table.value()).ok();
    (void)RootTable::FromTable(table.value()).ok();
  }
}

void FuzzOne(const uint8_t* data, size_t size) {
  FuzzMemory memory{data, size};
  const PhysReader reader(&ReadFuzzMemory, &memory);
  const bool verify_modes[] = {true, false};
  for (bool verify : verify_modes) {
    Options options;
    options.verify_checksums = verify;
    Result<AcpiInfo, Error> info = Discover(reader, 0, options);
    if (info.ok()) CheckInfo(info.value());
    Check(ErrorString(info.ok() ? Error::kNotFound : info.error()) != nullptr);
  }
  Options lax;
  lax.verify_checksums = false;
  ParseEveryTable(reader, lax);
}

}  // namespace
}  // namespace hiillos::acpi

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hiillos::acpi::FuzzOne(data, size);
  return 0;
}
