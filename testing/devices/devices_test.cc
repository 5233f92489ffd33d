// testing/devices/devices_test.cc — the device guest test, run as the root process (it holds
// the DeviceMemory, IRQ and Memory authorities pcid and the driver need): finds PCI Express
// through ACPI/MCFG and lists every function (pcid's discovery), claims the virtio-blk function
// (BAR frames, MSI-X bound with IrqMsiBind), brings the driver up and checks known sectors of
// the disk the host made, then writes other sectors, reads them back, and flushes; the host
// checks the written bytes in the image afterwards (testing/devices/devices_test.sh).
//
// The pattern: byte j of sector s is (s * 31 + j * 7 + seed) & 0xff, with seed 0x11 for the
// sectors the host wrote (0 .. kKnownSectors-1) and 0xa5 for the ones this test writes
// (kWriteFirst ..).
#include <stdint.h>

#include "lib/base/placement_new.h"
#include "lib/pci/enumerate.h"
#include "services/lib/print.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/pcid/claim.h"
#include "services/pcid/device_mapper.h"
#include "services/pcid/discovery.h"
#include "services/virtio_blk/blk_device.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

extern "C" void __cxa_pure_virtual() {
  __builtin_trap();
}

namespace hiillos {
namespace {

constexpr uint64_t kSectorBytes = 512;
constexpr uint64_t kKnownSectors = 64;
constexpr uint64_t kWriteFirst = 100;
constexpr uint64_t kWriteCount = 24;
constexpr uint8_t kHostSeed = 0x11;
constexpr uint8_t kGuestSeed = 0xa5;
constexpr uint16_t kVirtioVendor = 0x1af4;
constexpr uint16_t kVirtioBlkModern = 0x1042;
// Where device memory and DMA buffers are mapped.
constexpr uint64_t kDeviceWindow = 0x0000'1000'0000'0000ull;
constexpr uint64_t kDeviceWindowSize = 0x0000'0010'0000'0000ull;

// Large, and with virtual functions: constructed in Run (user programs run no global
// constructors).
alignas(pcid::PciSystem) uint8_t g_pci_storage[sizeof(pcid::PciSystem)];
alignas(virtio_blk::BlkDevice) uint8_t g_device_storage[sizeof(virtio_blk::BlkDevice)];
uint64_t g_passed = 0;
uint64_t g_failed = 0;

void Check(bool ok, const char* what) {
  if (ok) {
    ++g_passed;
  } else {
    ++g_failed;
    rt::Printf("devices_test: FAILED: %s\n", what);
  }
}

uint8_t Pattern(uint64_t sector, uint64_t byte, uint8_t seed) {
  return static_cast<uint8_t>(sector * 31 + byte * 7 + seed);
}

bool SectorsMatch(const uint8_t* data, uint64_t first, uint64_t count, uint8_t seed) {
  for (uint64_t s = 0; s < count; ++s) {
    for (uint64_t j = 0; j < kSectorBytes; ++j) {
      if (data[s * kSectorBytes + j] != Pattern(first + s, j, seed)) {
        rt::Printf("devices_test: sector %lu byte %lu is %#x, expected %#x\n", first + s, j,
                   data[s * kSectorBytes + j], Pattern(first + s, j, seed));
        return false;
      }
    }
  }
  return true;
}

const char* BarKindName(pci::BarKind kind) {
  switch (kind) {
    case pci::BarKind::kMemory32:
      return "mem32";
    case pci::BarKind::kMemory64:
      return "mem64";
    case pci::BarKind::kIo:
      return "io";
    default:
      return nullptr;
  }
}

void ListFunctions(const pci::DeviceTable& table) {
  for (uint32_t i = 0; i < table.count; ++i) {
    const pci::Function& f = table.functions[i];
    rt::Printf("pcid: %02x:%02x.%u %04x:%04x class %02x.%02x (%s)\n", f.address.bus,
               f.address.device, f.address.function, f.vendor_id, f.device_id, f.class_code,
               f.subclass, pcid::ClassName(f.class_code));
    for (uint8_t b = 0; b < f.bar_count; ++b) {
      const char* kind = BarKindName(f.bars[b].kind);
      if (kind != nullptr && f.bars[b].size != 0) {
        rt::Printf("pcid:   BAR%u %s %#lx size %#lx\n", b, kind, f.bars[b].base, f.bars[b].size);
      }
    }
  }
}

int Run(const uapi::BootInfo& info) {
  pcid::PciSystem& pci = *new (g_pci_storage) pcid::PciSystem();
  virtio_blk::BlkDevice& device = *new (g_device_storage) virtio_blk::BlkDevice();
  pcid::DeviceMapper mapper(uapi::kRootMemoryHandle, uapi::kRootVmemHandle,
                            uapi::kRootDeviceMemoryHandle, kDeviceWindow, kDeviceWindowSize);
  if (const char* error = pcid::DiscoverPci(mapper, info.acpi_rsdp, pci)) {
    rt::Printf("devices_test: FAILED: PCI discovery: %s\n", error);
    return 1;
  }
  rt::Printf("pcid: %u functions on %u buses\n", pci.table.count, pci.table.buses_scanned);
  ListFunctions(pci.table);
  const pci::Function* blk = nullptr;
  for (uint32_t i = 0; i < pci.table.count; ++i) {
    const pci::Function& f = pci.table.functions[i];
    if (f.vendor_id == kVirtioVendor && f.device_id == kVirtioBlkModern) blk = &f;
  }
  Check(blk != nullptr, "a modern virtio-blk function is listed");
  if (blk == nullptr) return 1;

  pcid::Claim claim;
  if (const char* error =
          pcid::ClaimFunction(pci.config, *blk, mapper, uapi::kRootDeviceMemoryHandle,
                              uapi::kRootMemoryHandle, uapi::kRootIrqHandle, nullptr, claim)) {
    rt::Printf("devices_test: FAILED: claim: %s\n", error);
    return 1;
  }
  Check(claim.interrupt == pcid::InterruptKind::kMsix, "the function's MSI-X vector is bound");
  pcid::FunctionConfig config(pci.config, blk->address);
  if (const char* error = device.Start(claim, config, mapper)) {
    rt::Printf("devices_test: FAILED: driver start: %s\n", error);
    return 1;
  }
  virtio::BlockDriver& driver = device.driver();
  rt::Printf("virtio-blk: %lu sectors, up (DRIVER_OK)\n", driver.config().capacity_sectors);
  Check(driver.config().capacity_sectors >= kWriteFirst + kWriteCount, "the disk is large enough");

  auto buffer = mapper.AllocateDma(4);  // 64 KiB
  if (!buffer.ok()) return 1;
  uint8_t* data = buffer.value().address;
  // Known sectors, in one request and sector by sector.
  Check(driver.Read(0, kKnownSectors, buffer.value().phys).ok(), "read the known sectors");
  Check(SectorsMatch(data, 0, kKnownSectors, kHostSeed), "the known sectors hold the pattern");
  for (uint64_t s = 0; s < 4; ++s) {
    __builtin_memset(data, 0, kSectorBytes);
    Check(driver.Read(s * 9, 1, buffer.value().phys).ok(), "read one sector");
    Check(SectorsMatch(data, s * 9, 1, kHostSeed), "one sector holds the pattern");
  }
  // Write, flush, read back.
  for (uint64_t s = 0; s < kWriteCount; ++s) {
    for (uint64_t j = 0; j < kSectorBytes; ++j) {
      data[s * kSectorBytes + j] = Pattern(kWriteFirst + s, j, kGuestSeed);
    }
  }
  Check(driver.Write(kWriteFirst, kWriteCount, buffer.value().phys).ok(), "write sectors");
  Check(driver.Flush().ok() || !driver.config().flush, "flush");
  __builtin_memset(data, 0, kWriteCount * kSectorBytes);
  Check(driver.Read(kWriteFirst, kWriteCount, buffer.value().phys).ok(), "read back");
  Check(SectorsMatch(data, kWriteFirst, kWriteCount, kGuestSeed), "written sectors read back");
  // Out of range: refused by the driver, nothing sent.
  Check(!driver.Read(driver.config().capacity_sectors, 1, buffer.value().phys).ok(),
        "a read past the end fails");
  Check(device.interrupts() > 0, "completions arrived by MSI-X interrupt");
  rt::Printf("devices_test: %lu interrupts\n", device.interrupts());
  return g_failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace hiillos

int UserMain(uint64_t boot_info, uint64_t) {
  hiillos::rt::SetLogHandle(hiillos::uapi::kRootLogHandle);
  int status = hiillos::Run(*reinterpret_cast<const hiillos::uapi::BootInfo*>(boot_info));
  hiillos::rt::Printf("devices_test: %lu passed, %lu failed\n", hiillos::g_passed,
                      hiillos::g_failed);
  return status == 0 && hiillos::g_failed == 0 ? 0 : 1;
}
