// services/virtio_blk/blk_device.cc — BarRegisters, IrqDoorbell and the bring-up sequence.
#include "services/virtio_blk/blk_device.h"

#include "lib/base/placement_new.h"
#include "lib/pci/capability.h"
#include "lib/virtio/blk_config.h"
#include "lib/virtio/error.h"
#include "lib/virtio/pci_capabilities.h"
#include "services/lib/print.h"
#include "services/lib/syscalls.h"

namespace hiillos::virtio_blk {
namespace {

constexpr uint8_t kVendorCapabilityId = 0x09;
constexpr uint32_t kMaxVirtioCaps = 16;
constexpr uint16_t kMaxQueueEntries = 128;
constexpr uint16_t kMsixEntry = 0;  // pcid programs every MSI-X entry with our one vector

const char* Fail(const char* what, virtio::Error error) {
  rt::Printf("virtio-blk: %s: %s\n", what, virtio::ErrorName(error));
  return what;
}

}  // namespace

volatile uint8_t* BarRegisters::At(uint8_t bar, uint64_t offset, uint64_t width) const {
  if (bar >= virtio::kPciBarCount || base[bar] == nullptr || offset > size[bar] ||
      width > size[bar] - offset || offset % width != 0) {
    return nullptr;
  }
  return base[bar] + offset;
}
uint8_t BarRegisters::Read8(uint8_t bar, uint64_t offset) {
  volatile uint8_t* p = At(bar, offset, 1);
  return p != nullptr ? *p : 0xff;
}
uint16_t BarRegisters::Read16(uint8_t bar, uint64_t offset) {
  volatile uint8_t* p = At(bar, offset, 2);
  return p != nullptr ? *reinterpret_cast<volatile uint16_t*>(p) : 0xffff;
}
uint32_t BarRegisters::Read32(uint8_t bar, uint64_t offset) {
  volatile uint8_t* p = At(bar, offset, 4);
  return p != nullptr ? *reinterpret_cast<volatile uint32_t*>(p) : 0xffff'ffffu;
}
void BarRegisters::Write8(uint8_t bar, uint64_t offset, uint8_t value) {
  if (volatile uint8_t* p = At(bar, offset, 1)) *p = value;
}
void BarRegisters::Write16(uint8_t bar, uint64_t offset, uint16_t value) {
  if (volatile uint8_t* p = At(bar, offset, 2)) *reinterpret_cast<volatile uint16_t*>(p) = value;
}
void BarRegisters::Write32(uint8_t bar, uint64_t offset, uint32_t value) {
  if (volatile uint8_t* p = At(bar, offset, 4)) *reinterpret_cast<volatile uint32_t*>(p) = value;
}

void IrqDoorbell::Notify() {
  transport->Notify(queue);
}

void IrqDoorbell::WaitForCompletion() {
  (void)rt::NotifyWait(notify);          // the MSI-X message (or the INTx line) set our bit
  if (intx) (void)transport->ReadIsr();  // deasserts the level line before it is unmasked
  (void)rt::IrqLineAck(irq_line);
  ++interrupts;
}

const char* BlkDevice::Start(const pcid::Claim& claim, pci::ConfigSpace& config,
                             pcid::DeviceMapper& mapper) {
  const bool intx = claim.interrupt == pcid::InterruptKind::kIntx;
  if (claim.interrupt != pcid::InterruptKind::kMsix && !intx) {
    return "neither MSI-X nor INTx claimed";
  }
  // The BARs.
  uint64_t bar_sizes[virtio::kPciBarCount] = {};
  for (uint8_t i = 0; i < virtio::kPciBarCount && i < claim.function.bar_count; ++i) {
    if (claim.bar_frames[i] == 0) continue;
    auto mapped = mapper.MapFrame(claim.bar_frames[i], true);
    if (!mapped.ok()) return "BAR not mappable";
    registers_.base[i] = mapped.value() + claim.bar_offset[i];
    registers_.size[i] = claim.function.bars[i].size;
    bar_sizes[i] = claim.function.bars[i].size;
  }
  // The virtio vendor capabilities (VIRTIO 1.1 §4.1.4: cfg_type at +3, bar at +4, offset at
  // +8, length at +12, notify_off_multiplier at +16 for the notify structure).
  virtio::PciCapability caps[kMaxVirtioCaps];
  uint32_t cap_count = 0;
  const pci::CapabilityList& list = claim.function.capabilities;
  for (uint8_t i = 0; i < list.count && cap_count < kMaxVirtioCaps; ++i) {
    if (list.entries[i].id != kVendorCapabilityId) continue;
    const uint16_t at = list.entries[i].offset;
    virtio::PciCapability& cap = caps[cap_count++];
    cap.cfg_type = config.Read8(claim.function.address, at + 3);
    cap.bar = config.Read8(claim.function.address, at + 4);
    cap.offset = config.Read32(claim.function.address, at + 8);
    cap.length = config.Read32(claim.function.address, at + 12);
    cap.notify_off_multiplier =
        cap.cfg_type == static_cast<uint8_t>(virtio::PciCapType::kNotify) && at + 20 <= 0x100
            ? config.Read32(claim.function.address, at + 16)
            : 0;
  }
  auto structures = virtio::LocatePciStructures(caps, cap_count, bar_sizes);
  if (!structures.ok()) return Fail("virtio capabilities", structures.error());
  transport_ = new (transport_storage_) virtio::PciTransport(registers_, structures.value());

  auto negotiated = transport_->Negotiate(virtio::kBlkWantedFeatures);
  if (!negotiated.ok()) return Fail("feature negotiation", negotiated.error());
  // One DMA page holds the rings (4 KiB descriptors at 128 entries = 2 KiB, available ring,
  // used ring); another the request headers and status bytes.
  auto rings = mapper.AllocateDma(1);
  auto area = mapper.AllocateDma(0);
  if (!rings.ok() || !area.ok()) return "no DMA memory";
  const uint64_t desc_bytes = virtio::DescTableBytes(kMaxQueueEntries);
  const uint64_t avail_offset = desc_bytes;
  const uint64_t used_offset =
      (avail_offset + virtio::AvailRingBytes(kMaxQueueEntries) + 3) & ~3ull;
  const virtio::QueueAddresses addresses{rings.value().phys, rings.value().phys + avail_offset,
                                         rings.value().phys + used_offset};
  // INTx: no MSI-X vectors (the device then raises INTx, §4.1.5.1.2).
  auto queue = transport_->SetUpQueue(0, kMaxQueueEntries, addresses,
                                      intx ? virtio::kMsiNoVector : kMsixEntry);
  if (!queue.ok()) return Fail("queue set-up", queue.error());
  if (!intx) {
    auto config_vector = transport_->SetConfigMsixVector(kMsixEntry);
    if (!config_vector.ok()) return Fail("config vector", config_vector.error());
  }
  doorbell_.intx = intx;
  doorbell_.transport = transport_;
  doorbell_.queue = queue.value();
  doorbell_.notify = claim.notify;
  doorbell_.irq_line = claim.irq_line;
  uint8_t* ring = rings.value().address;
  const virtio::SplitQueueMemory memory{ring,
                                        ring + avail_offset,
                                        ring + used_offset,
                                        addresses.descriptors,
                                        addresses.driver,
                                        addresses.device};
  auto ready = queue_.Initialize(queue.value().size, memory,
                                 (negotiated.value() & virtio::kFeatureEventIdx) != 0);
  if (!ready.ok()) {
    transport_->Fail();
    return Fail("queue", ready.error());
  }
  auto blk_config = virtio::ReadBlockConfig(*transport_, negotiated.value());
  if (!blk_config.ok()) {
    transport_->Fail();
    return Fail("device configuration", blk_config.error());
  }
  const size_t area_bytes = virtio::BlockDriver::RequestAreaBytes(queue.value().size);
  auto initialized = driver_.Initialize(queue_, blk_config.value(), area.value().address,
                                        area.value().phys, area_bytes, doorbell_);
  if (!initialized.ok()) return Fail("driver", initialized.error());
  auto ok = transport_->DriverOk();
  if (!ok.ok()) return Fail("DRIVER_OK", ok.error());
  return nullptr;
}

}  // namespace hiillos::virtio_blk
