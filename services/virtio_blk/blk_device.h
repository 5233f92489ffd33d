// services/virtio_blk/blk_device.h — the virtio-blk driver assembled over what pcid hands it
// (docs/protocols/virtio-blk.md, "Assembling the driver"): the BAR frames mapped as
// RegisterAccess, the virtio vendor capabilities read through its function's configuration
// space, DMA frames for the ring and the request area (FrameDmaAddress), completions through the
// Notify its MSI-X (or INTx) IrqLine signals.
//
// Ownership: a BlkDevice owns its transport, queue and driver state (large: keep it in static
// storage), and the mappings and DMA frames it made (for the process's life). One thread.
#pragma once

#include <stdint.h>

#include "lib/pci/config_space.h"
#include "lib/virtio/blk_driver.h"
#include "lib/virtio/pci_transport.h"
#include "lib/virtio/register_access.h"
#include "lib/virtio/split_queue.h"
#include "services/pcid/claim.h"
#include "services/pcid/device_mapper.h"

namespace hiillos::virtio_blk {

// Register access over the mapped memory BARs (bounds-checked: out-of-range reads give all
// ones, writes are dropped).
class BarRegisters final : public virtio::RegisterAccess {
 public:
  volatile uint8_t* base[virtio::kPciBarCount] = {};
  uint64_t size[virtio::kPciBarCount] = {};

  uint8_t Read8(uint8_t bar, uint64_t offset) override;
  uint16_t Read16(uint8_t bar, uint64_t offset) override;
  uint32_t Read32(uint8_t bar, uint64_t offset) override;
  void Write8(uint8_t bar, uint64_t offset, uint8_t value) override;
  void Write16(uint8_t bar, uint64_t offset, uint16_t value) override;
  void Write32(uint8_t bar, uint64_t offset, uint32_t value) override;

 private:
  volatile uint8_t* At(uint8_t bar, uint64_t offset, uint64_t width) const;
};

// Notify → the transport's doorbell; WaitForCompletion sleeps on the interrupt's Notify. With
// INTx (level-triggered, masked by the kernel when it fires) it reads the ISR status first,
// which deasserts the line (VIRTIO 1.1 §4.1.4.5), and only then acknowledges the IrqLine.
class IrqDoorbell final : public virtio::QueueDoorbell {
 public:
  void Notify() override;
  void WaitForCompletion() override;

  virtio::PciTransport* transport = nullptr;
  virtio::QueueInfo queue{};
  uint32_t notify = 0;
  uint32_t irq_line = 0;
  bool intx = false;
  uint64_t interrupts = 0;  // completions waited for (statistics)
};

class BlkDevice {
 public:
  // Brings the device up to DRIVER_OK. `config` reaches only the claimed function. Returns
  // nullptr or what failed (details printed).
  const char* Start(const pcid::Claim& claim, pci::ConfigSpace& config, pcid::DeviceMapper& mapper);

  virtio::BlockDriver& driver() { return driver_; }
  uint64_t interrupts() const { return doorbell_.interrupts; }
  bool intx() const { return doorbell_.intx; }

 private:
  BarRegisters registers_;
  alignas(virtio::PciTransport) uint8_t transport_storage_[sizeof(virtio::PciTransport)];
  virtio::PciTransport* transport_ = nullptr;
  IrqDoorbell doorbell_;
  virtio::SplitQueue queue_;
  virtio::BlockDriver driver_;
};

}  // namespace hiillos::virtio_blk
