// lib/virtio/testing/driver_stack.h — the whole driver as the driver process will assemble it
// (capabilities → transport → negotiation → queue → blk config → BlockDriver → DRIVER_OK),
// over a SimulatedBlkDevice, for the end-to-end host tests.
#pragma once

#include <stdint.h>

#include <memory>
#include <random>
#include <thread>

#include "lib/virtio/blk_config.h"
#include "lib/virtio/blk_driver.h"
#include "lib/virtio/pci_capabilities.h"
#include "lib/virtio/pci_transport.h"
#include "lib/virtio/split_queue.h"
#include "lib/virtio/testing/dma_arena.h"
#include "lib/virtio/testing/simulated_blk_device.h"

namespace hiillos::virtio::testing {

// The doorbell: Notify writes the transport's doorbell register. WaitForCompletion lets the
// simulated device run: on one thread it serves what is pending (in random order when `rng` is
// set, at most `serve_per_wait` chains); with a device thread it only yields.
class StackDoorbell final : public QueueDoorbell {
 public:
  StackDoorbell(PciTransport& transport, SimulatedBlkDevice& device)
      : transport_(transport), device_(device) {}
  void Notify() override { transport_.Notify(queue); }
  void WaitForCompletion() override {
    ++waits;
    if (device_thread) {
      std::this_thread::yield();
      return;
    }
    device_.Fetch();
    device_.Complete(serve_per_wait, rng);
  }

  QueueInfo queue{};
  bool device_thread = false;
  std::mt19937* rng = nullptr;
  size_t serve_per_wait = SIZE_MAX;
  uint64_t waits = 0;

 private:
  PciTransport& transport_;
  SimulatedBlkDevice& device_;
};

class DriverStack {
 public:
  explicit DriverStack(const SimulatedBlkDevice::Options& options)
      : device(options),
        transport_storage_(MakeTransport(device)),
        transport(*transport_storage_),
        doorbell(transport, device),
        queue(std::make_unique<SplitQueue>()),
        driver(std::make_unique<BlockDriver>()) {}

  // Runs the initialisation sequence; on success the device is DRIVER_OK.
  Result<void, Error> Start(uint16_t max_queue_size = 256, uint64_t wanted = kBlkWantedFeatures) {
    negotiated = TRY(transport.Negotiate(wanted));
    const uint16_t size_limit = max_queue_size;
    // Rings sized for the largest queue we would accept.
    ring_descriptors = arena.Allocate(DescTableBytes(size_limit));
    ring_available = arena.Allocate(AvailRingBytes(size_limit));
    ring_used = arena.Allocate(UsedRingBytes(size_limit));
    const QueueAddresses addresses{DmaArena::AddressOf(ring_descriptors),
                                   DmaArena::AddressOf(ring_available),
                                   DmaArena::AddressOf(ring_used)};
    const QueueInfo info = TRY(transport.SetUpQueue(0, size_limit, addresses, 1));
    TRY(transport.SetConfigMsixVector(0));
    doorbell.queue = info;
    const SplitQueueMemory memory{ring_descriptors,      ring_available,   ring_used,
                                  addresses.descriptors, addresses.driver, addresses.device};
    const auto queue_ready =
        queue->Initialize(info.size, memory, (negotiated & kFeatureEventIdx) != 0);
    if (!queue_ready.ok()) {
      transport.Fail();
      return queue_ready;
    }
    const auto config = ReadBlockConfig(transport, negotiated);
    if (!config.ok()) {
      transport.Fail();
      return Err(config.error());
    }
    const size_t area_bytes = BlockDriver::RequestAreaBytes(info.size);
    uint8_t* area = arena.Allocate(area_bytes);
    TRY(driver->Initialize(*queue, config.value(), area, DmaArena::AddressOf(area), area_bytes,
                           doorbell));
    TRY(transport.DriverOk());
    return Ok<Error>();
  }

  SimulatedBlkDevice device;

 private:
  static std::unique_ptr<PciTransport> MakeTransport(SimulatedBlkDevice& device) {
    uint64_t bars[kPciBarCount];
    device.BarSizes(bars);
    const auto caps = device.Capabilities();
    const auto structures = LocatePciStructures(caps.data(), caps.size(), bars);
    return std::make_unique<PciTransport>(device, structures.value());
  }
  std::unique_ptr<PciTransport> transport_storage_;

 public:
  PciTransport& transport;
  StackDoorbell doorbell;
  std::unique_ptr<SplitQueue> queue;
  std::unique_ptr<BlockDriver> driver;
  DmaArena arena;
  uint64_t negotiated = 0;
  uint8_t* ring_descriptors = nullptr;
  uint8_t* ring_available = nullptr;
  uint8_t* ring_used = nullptr;
};

}  // namespace hiillos::virtio::testing
