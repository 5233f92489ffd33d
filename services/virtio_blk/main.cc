// services/virtio_blk/main.cc — /sbin/virtio-blk: claims the first modern virtio-blk function
// through pcid (pcid_client.h), brings it up (blk_device.h) and serves the block protocol
// (services/block/protocol.h) with the shared request checks (services/block/request_checks.h).
// Data moves through a 64 KiB DMA bounce buffer: the client's attached frame is mapped and
// copied to and from (its physical layout is not the driver's business).
// Capabilities: "endpoint" (its Receiver), "pcid" (a Sender to pcid), "memory", "vmem". Argument
// 1 `intx` (optional): the interrupt through INTx (the ACPI _PRT's GSI) instead of MSI-X. One
// session at a time (the last attached buffer serves every badge; requests naming an earlier
// attachment's id get kNoBuffer). Uses the IPC buffer the loader
// registers before the program starts (rt::kIpcBufferAddress). Without a disk (no virtio-blk
// function, or it does not start) it logs why and answers every request with kNoDevice
// (block::ServeNoDevice) rather than exiting, so its clients get an error, not a wait. Exits when
// its last Sender is gone.
#include "lib/base/placement_new.h"
#include "services/block/request_checks.h"
#include "services/block/serve_loop.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/pcid/device_mapper.h"
#include "services/pcid/protocol.h"
#include "services/proc/ready.h"
#include "services/virtio_blk/blk_device.h"
#include "services/virtio_blk/pcid_client.h"

extern "C" void __cxa_pure_virtual() {
  __builtin_trap();
}

namespace {

using namespace hiillos;

// The IPC buffer the loader registered before this program started (services/lib/loader.h).
inline uapi::IpcBuffer* IpcBuffer() {
  return reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress);
}

constexpr uint16_t kVirtioVendor = 0x1af4;
constexpr uint16_t kVirtioBlkModern = 0x1042;
constexpr uint64_t kDeviceWindow = 0x0000'1800'0000'0000ull;
constexpr uint64_t kDeviceWindowSize = 0x0000'0010'0000'0000ull;
constexpr uint64_t kBufferAddress = 0x0000'2a00'0000'0000ull;
constexpr uint64_t kMaxBufferBytes = uint64_t{16} << 20;
constexpr unsigned kBounceOrder = 4;  // 64 KiB
constexpr uint64_t kMaxSectorsPerRequest = (uint64_t{0x1000} << kBounceOrder) / block::kSectorSize;

bool SameString(const char* a, const char* b) {
  if (a == nullptr) return false;
  while (*a != 0 && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

block::Error FromDriver(bool ok) {
  return ok ? block::Error::kOk : block::Error::kIoError;
}

// The device as a block::SectorStore, through the bounce buffer.
class VirtioStore final : public block::SectorStore {
 public:
  VirtioStore(virtio::BlockDriver& driver, const pcid::DmaBuffer& bounce)
      : driver_(driver), bounce_(bounce) {}

  block::Error ReadSectors(uint64_t first, uint64_t count, uint8_t* data) override {
    if (!driver_.Read(first, count, bounce_.phys).ok()) return block::Error::kIoError;
    __builtin_memcpy(data, bounce_.address, count * block::kSectorSize);
    return block::Error::kOk;
  }
  block::Error WriteSectors(uint64_t first, uint64_t count, const uint8_t* data) override {
    __builtin_memcpy(bounce_.address, data, count * block::kSectorSize);
    return FromDriver(driver_.Write(first, count, bounce_.phys).ok());
  }
  block::Error Flush() override { return FromDriver(driver_.Flush().ok()); }

 private:
  virtio::BlockDriver& driver_;
  pcid::DmaBuffer bounce_;
};

alignas(virtio_blk::BlkDevice) uint8_t g_device_storage[sizeof(virtio_blk::BlkDevice)];
alignas(pcid::Claim) uint8_t g_claim_storage[sizeof(pcid::Claim)];

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t endpoint = rt::FindCap(start, "endpoint");
  const uint32_t pcid_sender = rt::FindCap(start, "pcid");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  if (endpoint == 0 || pcid_sender == 0 || memory == 0 || vmem == 0) {
    rt::Printf("virtio-blk: needs endpoint, pcid, memory and vmem");
    return 1;
  }
  virtio_blk::PcidConfig config(pcid_sender);
  pcid::Claim& claim = *new (g_claim_storage) pcid::Claim();
  uint32_t dma_devices = 0;
  auto no_device = [&](const char* why, const char* detail) {
    rt::Printf("virtio-blk: no disk to serve: %s%s; answering every request with \"no device\"",
               why, detail);
    auto slot = rt::MemoryAllocReply(memory);
    if (!slot.ok()) return rt::kExitOutOfMemory;
    (void)proc::SignalReady(rt::FindCap(start, "proc"));  // it serves: "no device" to everyone
    block::ServeNoDevice(
        block::ServeLoopConfig{endpoint, slot.value(), vmem, memory, 0, 0, IpcBuffer()});
    return 0;
  };
  // Argument 1 `intx`: ask pcid for the INTx line instead of MSI-X (docs/protocols/pci.md).
  const bool want_intx = start.arg_count() >= 2 && SameString(rt::Arg(start, 1), "intx");
  if (const char* error = virtio_blk::FindAndClaim(
          pcid_sender, memory, config, kVirtioVendor, kVirtioBlkModern,
          want_intx ? pcid::protocol::kClaimIntx : 0, claim, &dma_devices)) {
    return no_device(error, "");
  }
  pcid::DeviceMapper mapper(memory, vmem, dma_devices, kDeviceWindow, kDeviceWindowSize);
  virtio_blk::BlkDevice& device = *new (g_device_storage) virtio_blk::BlkDevice();
  if (const char* error = device.Start(claim, config, mapper)) {
    return no_device("start: ", error);
  }
  auto bounce = mapper.AllocateDma(kBounceOrder);
  if (!bounce.ok()) return rt::kExitOutOfMemory;
  const virtio::BlockConfig& blk = device.driver().config();
  uint64_t max_sectors = kMaxSectorsPerRequest;
  if (blk.size_max != 0 && blk.size_max / block::kSectorSize < max_sectors) {
    max_sectors = blk.size_max / block::kSectorSize;
  }
  VirtioStore store(device.driver(), bounce.value());
  block::RequestChecks checks(
      store, block::DiskGeometry{blk.capacity_sectors, max_sectors,
                                 (blk.read_only ? block::kFlagReadOnly : 0) |
                                     (blk.flush ? block::kFlagFlushSupported : 0)});
  auto reply_slot = rt::MemoryAllocReply(memory);
  if (!reply_slot.ok()) return rt::kExitOutOfMemory;
  rt::Printf("virtio-blk: serving %lu sectors%s", blk.capacity_sectors,
             blk.read_only ? " (read-only)" : "");
  (void)proc::SignalReady(rt::FindCap(start, "proc"));

  block::ServeBlockRequests(
      checks, block::ServeLoopConfig{endpoint, reply_slot.value(), vmem, memory, kBufferAddress,
                                     kMaxBufferBytes, IpcBuffer()});
  if (blk.flush && !device.driver().Flush().ok()) rt::Printf("virtio-blk: final flush failed");
  rt::Printf("virtio-blk: last client gone, %lu interrupts%s", device.interrupts(),
             device.intx() ? " (INTx)" : "");
  return 0;
}
