// lib/virtio/testing/simulated_blk_device.cc — the simulated virtio-blk device's registers and
// its device-side processing of the split queue (VIRTIO 1.1 §2.6, §4.1.4, §5.2).
#include "lib/virtio/testing/simulated_blk_device.h"

#include <string.h>

#include <algorithm>

#include "lib/virtio/blk_layout.h"
#include "lib/virtio/pci_layout.h"
#include "lib/virtio/shared_access.h"
#include "lib/virtio/split_queue_layout.h"

namespace hiillos::virtio::testing {
namespace {

constexpr char kDeviceId[] = "hiillos-sim-disk-001";  // exactly kBlkIdBytes characters

template <typename T>
T* At(uint64_t address) {
  return reinterpret_cast<T*>(static_cast<uintptr_t>(address));
}

}  // namespace

SimulatedBlkDevice::SimulatedBlkDevice(const Options& options)
    : options_(options), queue_size_(options.queue_max_size) {
  offered_ = options.offered_features;
  if (options.use_default_features) {
    offered_ |= kFeatureVersion1 | kFeatureEventIdx | kBlkFeatureBlockSize | kBlkFeatureFlush;
  }
  if (options.size_max != 0) offered_ |= kBlkFeatureSizeMax;
  if (options.seg_max != 0) offered_ |= kBlkFeatureSegMax;
  disk_.assign(options.capacity_sectors * kBlkSectorSize, 0);
}

std::vector<PciCapability> SimulatedBlkDevice::Capabilities() const {
  return {
      {static_cast<uint8_t>(PciCapType::kCommon), kBar, kCommonOffset, 64, 0},
      {static_cast<uint8_t>(PciCapType::kNotify), kBar, kNotifyOffset, 0x1000,
       options_.notify_off_multiplier},
      {static_cast<uint8_t>(PciCapType::kIsr), kBar, kIsrOffset, 4, 0},
      {static_cast<uint8_t>(PciCapType::kDevice), kBar, kDeviceOffset, 64, 0},
  };
}

void SimulatedBlkDevice::BarSizes(uint64_t (&sizes)[kPciBarCount]) const {
  for (uint64_t& size : sizes) size = 0;
  sizes[kBar] = kBarSize;
}

void SimulatedBlkDevice::Reset() {
  device_feature_select_ = driver_feature_select_ = 0;
  driver_features_ = 0;
  status_ = 0;
  config_msix_ = queue_msix_ = kMsiNoVector;
  queue_select_ = 0;
  queue_size_ = options_.queue_max_size;
  queue_enable_ = 0;
  queue_desc_ = queue_driver_ = queue_device_ = 0;
  last_avail_ = used_idx_ = 0;
  pending_.clear();
}

bool SimulatedBlkDevice::EventIdx() const {
  return (driver_features_ & kFeatureEventIdx) != 0;
}

uint32_t SimulatedBlkDevice::CommonRead(uint64_t field, int width) {
  (void)width;
  const bool queue0 = queue_select_ == 0;
  switch (field) {
    case common_cfg::kDeviceFeatureSelect:
      return device_feature_select_;
    case common_cfg::kDeviceFeature:
      return device_feature_select_ < 2
                 ? static_cast<uint32_t>(offered_ >> (32 * device_feature_select_))
                 : 0;
    case common_cfg::kDriverFeatureSelect:
      return driver_feature_select_;
    case common_cfg::kDriverFeature:
      return driver_feature_select_ < 2
                 ? static_cast<uint32_t>(driver_features_ >> (32 * driver_feature_select_))
                 : 0;
    case common_cfg::kConfigMsixVector:
      return config_msix_;
    case common_cfg::kNumQueues:
      return 1;
    case common_cfg::kDeviceStatus:
      return status_;
    case common_cfg::kConfigGeneration:
      return config_generation_;
    case common_cfg::kQueueSelect:
      return queue_select_;
    case common_cfg::kQueueSize:
      return queue0 ? queue_size_ : 0;
    case common_cfg::kQueueMsixVector:
      return queue0 ? queue_msix_ : kMsiNoVector;
    case common_cfg::kQueueEnable:
      return queue0 ? queue_enable_ : 0;
    case common_cfg::kQueueNotifyOff:
      return queue0 ? options_.queue_notify_off : 0;
    default:
      return 0;
  }
}

void SimulatedBlkDevice::CommonWrite(uint64_t field, uint32_t value, int width) {
  (void)width;
  const bool queue0 = queue_select_ == 0;
  auto set_half = [&](uint64_t& target, uint64_t base) {
    const int shift = field == base ? 0 : 32;
    target = (target & ~(0xffffffffull << shift)) | (static_cast<uint64_t>(value) << shift);
  };
  switch (field) {
    case common_cfg::kDeviceFeatureSelect:
      device_feature_select_ = value;
      break;
    case common_cfg::kDriverFeatureSelect:
      driver_feature_select_ = value;
      break;
    case common_cfg::kDriverFeature:
      if (driver_feature_select_ < 2) {
        const int shift = 32 * driver_feature_select_;
        driver_features_ = (driver_features_ & ~(0xffffffffull << shift)) |
                           (static_cast<uint64_t>(value) << shift);
      }
      break;
    case common_cfg::kConfigMsixVector:
      config_msix_ = options_.accept_msix ? static_cast<uint16_t>(value) : kMsiNoVector;
      break;
    case common_cfg::kDeviceStatus: {
      if (value == 0) {
        Reset();
        break;
      }
      uint8_t next = static_cast<uint8_t>(value);
      if ((next & kStatusFeaturesOk) != 0 && (status_ & kStatusFeaturesOk) == 0) {
        // §2.2.2: the device refuses features it did not offer (and this one may refuse all).
        const bool subset = (driver_features_ & ~offered_) == 0;
        if (options_.refuse_features_ok || !subset) next &= ~kStatusFeaturesOk;
      }
      status_ = static_cast<uint8_t>(next | (status_ & kStatusDeviceNeedsReset));
      break;
    }
    case common_cfg::kQueueSelect:
      queue_select_ = static_cast<uint16_t>(value);
      break;
    case common_cfg::kQueueSize:
      if (queue0) queue_size_ = static_cast<uint16_t>(value);
      break;
    case common_cfg::kQueueMsixVector:
      if (queue0) queue_msix_ = options_.accept_msix ? static_cast<uint16_t>(value) : kMsiNoVector;
      break;
    case common_cfg::kQueueEnable:
      if (queue0) queue_enable_ = static_cast<uint16_t>(value);
      break;
    case common_cfg::kQueueDesc:
    case common_cfg::kQueueDesc + 4:
      if (queue0) set_half(queue_desc_, common_cfg::kQueueDesc);
      break;
    case common_cfg::kQueueDriver:
    case common_cfg::kQueueDriver + 4:
      if (queue0) set_half(queue_driver_, common_cfg::kQueueDriver);
      break;
    case common_cfg::kQueueDevice:
    case common_cfg::kQueueDevice + 4:
      if (queue0) set_half(queue_device_, common_cfg::kQueueDevice);
      break;
    default:
      break;
  }
}

uint8_t SimulatedBlkDevice::DeviceConfigByte(uint64_t offset) const {
  uint8_t config[64] = {};
  memcpy(config + blk_config::kCapacity, &options_.capacity_sectors, 8);
  memcpy(config + blk_config::kSizeMax, &options_.size_max, 4);
  memcpy(config + blk_config::kSegMax, &options_.seg_max, 4);
  memcpy(config + blk_config::kBlockSize, &options_.block_size, 4);
  return offset < sizeof(config) ? config[offset] : 0;
}

uint8_t SimulatedBlkDevice::Read8(uint8_t bar, uint64_t offset) {
  if (bar != kBar) return 0xff;
  if (offset >= kIsrOffset && offset < kIsrOffset + 4) {
    const uint8_t isr = isr_;
    isr_ = 0;  // reading the ISR clears it (§4.1.4.5)
    return isr;
  }
  if (offset >= kDeviceOffset && offset < kDeviceOffset + 64) {
    return DeviceConfigByte(offset - kDeviceOffset);
  }
  return static_cast<uint8_t>(CommonRead(offset - kCommonOffset, 1));
}

uint16_t SimulatedBlkDevice::Read16(uint8_t bar, uint64_t offset) {
  if (bar != kBar) return 0xffff;
  if (offset >= kDeviceOffset && offset < kDeviceOffset + 64) {
    return static_cast<uint16_t>(Read8(bar, offset) | Read8(bar, offset + 1) << 8);
  }
  return static_cast<uint16_t>(CommonRead(offset - kCommonOffset, 2));
}

uint32_t SimulatedBlkDevice::Read32(uint8_t bar, uint64_t offset) {
  if (bar != kBar) return 0xffffffff;
  if (offset >= kDeviceOffset && offset < kDeviceOffset + 64) {
    return static_cast<uint32_t>(Read16(bar, offset) | Read16(bar, offset + 2) << 16);
  }
  return CommonRead(offset - kCommonOffset, 4);
}

void SimulatedBlkDevice::Write8(uint8_t bar, uint64_t offset, uint8_t value) {
  if (bar == kBar && offset < kIsrOffset) CommonWrite(offset - kCommonOffset, value, 1);
}

void SimulatedBlkDevice::Write16(uint8_t bar, uint64_t offset, uint16_t value) {
  if (bar != kBar) return;
  if (offset >= kNotifyOffset) {
    const uint64_t doorbell =
        kNotifyOffset + uint64_t{options_.queue_notify_off} * options_.notify_off_multiplier;
    if (offset == doorbell && value == 0)
      notifications_.fetch_add(1);
    else
      ++driver_violations_;
    return;
  }
  if (offset < kIsrOffset) CommonWrite(offset - kCommonOffset, value, 2);
}

void SimulatedBlkDevice::Write32(uint8_t bar, uint64_t offset, uint32_t value) {
  if (bar == kBar && offset < kIsrOffset) CommonWrite(offset - kCommonOffset, value, 4);
}

size_t SimulatedBlkDevice::Fetch() {
  if ((status_ & kStatusDriverOk) == 0 || queue_enable_ == 0) return 0;
  void* avail = At<void>(queue_driver_);
  const uint16_t avail_idx = LoadAcquire(&static_cast<VirtqAvailHeader*>(avail)->idx);
  size_t fetched = 0;
  while (last_avail_ != avail_idx) {
    const uint16_t head = LoadRelaxed(&AvailRingEntries(avail)[last_avail_ & (queue_size_ - 1)]);
    last_avail_ = static_cast<uint16_t>(last_avail_ + 1);
    if (head >= queue_size_) {
      ++driver_violations_;
      continue;
    }
    pending_.push_back(Pending{head});
    ++fetched;
  }
  // Ask to be notified about the very next chain (§2.6.7.2: the device writes avail_event).
  if (EventIdx())
    StoreSequential(AvailEventField(At<void>(queue_device_), queue_size_), last_avail_);
  return fetched;
}

uint32_t SimulatedBlkDevice::Serve(uint16_t head) {
  const VirtqDesc* table = At<VirtqDesc>(queue_desc_);
  // Walk the chain (bounded by the queue size so a driver loop cannot hang the device).
  std::vector<VirtqDesc> chain;
  uint16_t id = head;
  for (;;) {
    if (id >= queue_size_ || chain.size() >= queue_size_) {
      ++driver_violations_;
      return 0;
    }
    chain.push_back(table[id]);
    if ((table[id].flags & kDescFlagNext) == 0) break;
    id = table[id].next;
  }
  if (chain.size() < 2 || chain.front().len != sizeof(BlkRequestHeader) ||
      (chain.front().flags & kDescFlagWrite) != 0 || chain.back().len != 1 ||
      (chain.back().flags & kDescFlagWrite) == 0) {
    ++driver_violations_;
    return 0;
  }
  BlkRequestHeader header;
  memcpy(&header, At<void>(chain.front().addr), sizeof(header));
  uint8_t* status = At<uint8_t>(chain.back().addr);
  const auto type = static_cast<BlkRequestType>(header.type);
  const bool device_writes = type == BlkRequestType::kIn || type == BlkRequestType::kGetId;
  uint64_t data_bytes = 0;
  const size_t segments = chain.size() - 2;
  max_data_segments_ = std::max<uint32_t>(max_data_segments_, static_cast<uint32_t>(segments));
  for (size_t i = 1; i + 1 < chain.size(); ++i) {
    if (((chain[i].flags & kDescFlagWrite) != 0) != device_writes) ++driver_violations_;
    if (options_.size_max != 0 && chain[i].len > options_.size_max) ++driver_violations_;
    max_segment_bytes_ = std::max(max_segment_bytes_, chain[i].len);
    data_bytes += chain[i].len;
  }
  if (options_.seg_max != 0 && segments > options_.seg_max) ++driver_violations_;
  ++requests_;

  uint8_t result = kBlkStatusOk;
  uint32_t written = 1;
  switch (type) {
    case BlkRequestType::kIn:
    case BlkRequestType::kOut: {
      const uint64_t first = header.sector;
      const uint64_t sectors = data_bytes / kBlkSectorSize;
      if (data_bytes % kBlkSectorSize != 0 || first + sectors > options_.capacity_sectors) {
        result = kBlkStatusIoError;
        break;
      }
      if (first < fail_end_ && fail_first_ < first + sectors) {
        result = kBlkStatusIoError;
        break;
      }
      uint64_t position = first * kBlkSectorSize;
      for (size_t i = 1; i + 1 < chain.size(); ++i) {
        uint8_t* buffer = At<uint8_t>(chain[i].addr);
        if (type == BlkRequestType::kIn) {
          memcpy(buffer, disk_.data() + position, chain[i].len);
        } else {
          memcpy(disk_.data() + position, buffer, chain[i].len);
        }
        position += chain[i].len;
      }
      if (type == BlkRequestType::kIn) written += static_cast<uint32_t>(data_bytes);
      break;
    }
    case BlkRequestType::kFlush:
      ++flushes_;
      break;
    case BlkRequestType::kGetId:
      if (chain.size() != 3 || chain[1].len < kBlkIdBytes) {
        result = kBlkStatusIoError;
        break;
      }
      memcpy(At<void>(chain[1].addr), kDeviceId, kBlkIdBytes);
      written += kBlkIdBytes;
      break;
    default:
      result = kBlkStatusUnsupported;
      break;
  }
  if (has_forced_status_) {
    result = forced_status_;
    has_forced_status_ = false;
  }
  *status = result;
  return written;
}

void SimulatedBlkDevice::PushUsed(uint32_t id, uint32_t length) {
  void* used = At<void>(queue_device_);
  if (has_bad_id_) id = bad_id_, has_bad_id_ = false;
  if (has_bad_length_) length = bad_length_, has_bad_length_ = false;
  VirtqUsedElem* elem = &UsedRingEntries(used)[used_idx_ & (queue_size_ - 1)];
  StoreRelaxed(&elem->id, id);
  StoreRelaxed(&elem->len, length);
  const uint16_t old_idx = used_idx_;
  used_idx_ = static_cast<uint16_t>(used_idx_ + 1 + extra_used_);
  extra_used_ = 0;
  // Elements before idx (release), then the interrupt decision after a full barrier (§2.6.14).
  StoreSequential(&static_cast<VirtqUsedHeader*>(used)->idx, used_idx_);
  void* avail = At<void>(queue_driver_);
  bool interrupt;
  if (EventIdx()) {
    interrupt = NeedEvent(LoadSequential(UsedEventField(avail, queue_size_)), used_idx_, old_idx);
  } else {
    interrupt = (LoadSequential(&static_cast<VirtqAvailHeader*>(avail)->flags) &
                 kAvailFlagNoInterrupt) == 0;
  }
  if (interrupt) {
    ++interrupts_;
    isr_ |= kIsrQueue;
  }
}

size_t SimulatedBlkDevice::Complete(size_t max, std::mt19937* rng) {
  size_t served = 0;
  while (served < max && !pending_.empty()) {
    size_t pick = 0;
    if (rng != nullptr) pick = std::uniform_int_distribution<size_t>(0, pending_.size() - 1)(*rng);
    const uint16_t head = pending_[pick].head;
    pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(pick));
    PushUsed(head, Serve(head));
    ++served;
  }
  return served;
}

}  // namespace hiillos::virtio::testing
