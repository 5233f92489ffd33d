// lib/virtio/testing/simulated_blk_device.h — a virtio-blk device for host tests: the virtio-pci
// modern register interface (common, notify, ISR and device structures in BAR 4) and a device
// side that reads the driver's split queue as real hardware would (device address = host
// address), serves a RAM disk, completes requests in any order, and injects faults.
//
// Threads: the register interface and the device side may run on different threads once the
// driver has set the device up (the stress test does); set-up and fault knobs are for one thread.
#pragma once

#include <stdint.h>

#include <atomic>
#include <deque>
#include <random>
#include <vector>

#include "lib/virtio/pci_capabilities.h"
#include "lib/virtio/register_access.h"

namespace hiillos::virtio::testing {

class SimulatedBlkDevice final : public RegisterAccess {
 public:
  struct Options {
    uint64_t capacity_sectors = 2048;
    uint64_t offered_features = 0;  // VERSION_1 | EVENT_IDX | blk features by default (see .cc)
    bool use_default_features = true;
    uint32_t size_max = 0;  // offered with VIRTIO_BLK_F_SIZE_MAX when nonzero
    uint32_t seg_max = 0;   // offered with VIRTIO_BLK_F_SEG_MAX when nonzero
    uint32_t block_size = 4096;
    uint16_t queue_max_size = 128;
    uint32_t notify_off_multiplier = 4;
    uint16_t queue_notify_off = 3;
    bool refuse_features_ok = false;
    bool accept_msix = true;
  };

  // Where the structures live in BAR 4.
  static constexpr uint8_t kBar = 4;
  static constexpr uint64_t kCommonOffset = 0x0;
  static constexpr uint64_t kIsrOffset = 0x1000;
  static constexpr uint64_t kDeviceOffset = 0x2000;
  static constexpr uint64_t kNotifyOffset = 0x3000;
  static constexpr uint64_t kBarSize = 0x4000;

  explicit SimulatedBlkDevice(const Options& options);

  std::vector<PciCapability> Capabilities() const;
  void BarSizes(uint64_t (&sizes)[kPciBarCount]) const;

  // RegisterAccess (only BAR 4 exists).
  uint8_t Read8(uint8_t bar, uint64_t offset) override;
  uint16_t Read16(uint8_t bar, uint64_t offset) override;
  uint32_t Read32(uint8_t bar, uint64_t offset) override;
  void Write8(uint8_t bar, uint64_t offset, uint8_t value) override;
  void Write16(uint8_t bar, uint64_t offset, uint16_t value) override;
  void Write32(uint8_t bar, uint64_t offset, uint32_t value) override;

  // Device side. Fetch moves newly available chains to the pending list; Complete serves up to
  // `max` pending chains (in random order when `rng` is given) and returns how many it served.
  size_t Fetch();
  size_t Complete(size_t max, std::mt19937* rng);
  size_t ServeAll(std::mt19937* rng) {
    Fetch();
    return Complete(SIZE_MAX, rng);
  }
  size_t pending() const { return pending_.size(); }

  // Faults, each applied to the next completion (or while set).
  void CorruptNextUsedId(uint32_t id) { bad_id_ = id, has_bad_id_ = true; }
  void CorruptNextUsedLength(uint32_t length) { bad_length_ = length, has_bad_length_ = true; }
  void AdvanceUsedIdxBy(uint16_t extra) { extra_used_ = extra; }
  void SetNextStatus(uint8_t status) { forced_status_ = status, has_forced_status_ = true; }
  void FailSectors(uint64_t first, uint64_t end) { fail_first_ = first, fail_end_ = end; }
  void SetStatusBits(uint8_t bits) { status_ |= bits; }

  std::vector<uint8_t>& disk() { return disk_; }
  uint8_t status() const { return status_; }
  uint64_t driver_features() const { return driver_features_; }
  uint64_t notifications() const { return notifications_.load(); }
  uint64_t interrupts() const { return interrupts_; }
  uint64_t flushes() const { return flushes_; }
  uint64_t requests() const { return requests_; }
  uint32_t max_data_segments() const { return max_data_segments_; }
  uint32_t max_segment_bytes() const { return max_segment_bytes_; }
  // Chains the driver built wrongly (bad header, directions, loops); tests expect 0.
  uint64_t driver_violations() const { return driver_violations_; }

 private:
  struct Pending {
    uint16_t head;
  };
  void Reset();
  uint32_t CommonRead(uint64_t field, int width);
  void CommonWrite(uint64_t field, uint32_t value, int width);
  uint8_t DeviceConfigByte(uint64_t offset) const;
  // Serves one chain; returns the used length.
  uint32_t Serve(uint16_t head);
  void PushUsed(uint32_t id, uint32_t length);
  bool EventIdx() const;

  Options options_;
  uint64_t offered_;
  std::vector<uint8_t> disk_;

  // Registers.
  uint32_t device_feature_select_ = 0;
  uint32_t driver_feature_select_ = 0;
  uint64_t driver_features_ = 0;
  uint8_t status_ = 0;
  uint8_t config_generation_ = 0;
  uint16_t config_msix_ = 0xffff;
  uint16_t queue_select_ = 0;
  uint16_t queue_size_;
  uint16_t queue_msix_ = 0xffff;
  uint16_t queue_enable_ = 0;
  uint64_t queue_desc_ = 0, queue_driver_ = 0, queue_device_ = 0;
  uint8_t isr_ = 0;

  // Device-side ring state.
  uint16_t last_avail_ = 0;
  uint16_t used_idx_ = 0;
  std::deque<Pending> pending_;

  bool has_bad_id_ = false, has_bad_length_ = false, has_forced_status_ = false;
  uint32_t bad_id_ = 0, bad_length_ = 0;
  uint8_t forced_status_ = 0;
  uint16_t extra_used_ = 0;
  uint64_t fail_first_ = 0, fail_end_ = 0;

  std::atomic<uint64_t> notifications_{0};
  uint64_t interrupts_ = 0, flushes_ = 0, requests_ = 0, driver_violations_ = 0;
  uint32_t max_data_segments_ = 0, max_segment_bytes_ = 0;
};

}  // namespace hiillos::virtio::testing
