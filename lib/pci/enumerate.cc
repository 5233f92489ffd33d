// lib/pci/enumerate.cc — breadth-first bus walk over bridges, bounded by a visited-bus bitmap.
#include "lib/pci/enumerate.h"

namespace hiillos::pci {
namespace {

constexpr uint32_t kBusCount = 256;

// A bus to scan and the highest bus number its bridges may lead to.
struct PendingBus {
  uint8_t bus = 0;
  uint8_t limit = 0;
};

class BusWalk {
 public:
  BusWalk(ConfigSpace& config, uint16_t segment, DeviceTable& out)
      : config_(config), segment_(segment), out_(out) {}

  Result<void, Error> Run(uint8_t first_bus, uint8_t last_bus) {
    Push(PendingBus{first_bus, last_bus});
    while (head_ != tail_) {
      const PendingBus pending = queue_[head_++];
      ++out_.buses_scanned;
      TRY(ScanBus(pending));
    }
    return Ok<Error>();
  }

 private:
  bool Visited(uint8_t bus) const { return (visited_[bus / 64] >> (bus % 64)) & 1; }

  // Each bus is pushed at most once (Visited), so the queue never holds more than 256.
  void Push(PendingBus pending) {
    visited_[pending.bus / 64] |= uint64_t{1} << (pending.bus % 64);
    queue_[tail_++] = pending;
  }

  Result<void, Error> ScanBus(PendingBus pending) {
    for (uint8_t device = 0; device < kDevicesPerBus; ++device) {
      FunctionAddress address{segment_, pending.bus, device, 0};
      if (config_.Read16(address, kRegVendorId) == kVendorAbsent) continue;
      const bool multi_function =
          (config_.Read8(address, kRegHeaderType) & kHeaderMultiFunction) != 0;
      const uint8_t functions = multi_function ? kFunctionsPerDevice : 1;
      for (uint8_t function = 0; function < functions; ++function) {
        address.function = function;
        if (function != 0 && config_.Read16(address, kRegVendorId) == kVendorAbsent) continue;
        TRY(Record(address, pending));
      }
    }
    return Ok<Error>();
  }

  Result<void, Error> Record(FunctionAddress address, PendingBus pending) {
    if (out_.count >= kMaxFunctions) return Err(Error::kTooManyFunctions);
    Function& function = out_.functions[out_.count++];
    DecodeFunction(config_, address, function);
    if (function.header_type != kHeaderTypeBridge) return Ok<Error>();
    const uint8_t secondary = function.secondary_bus;
    const uint8_t subordinate = function.subordinate_bus;
    if (secondary <= pending.bus || subordinate < secondary || subordinate > pending.limit) {
      function.bridge = BridgeState::kIgnoredRange;
    } else if (Visited(secondary)) {
      function.bridge = BridgeState::kIgnoredVisited;
    } else {
      function.bridge = BridgeState::kFollowed;
      Push(PendingBus{secondary, subordinate});
    }
    return Ok<Error>();
  }

  ConfigSpace& config_;
  uint16_t segment_;
  DeviceTable& out_;
  uint64_t visited_[kBusCount / 64] = {};
  PendingBus queue_[kBusCount];
  uint32_t head_ = 0;
  uint32_t tail_ = 0;
};

}  // namespace

const Function* DeviceTable::Find(FunctionAddress address) const {
  for (uint32_t i = 0; i < count; ++i) {
    if (functions[i].address == address) return &functions[i];
  }
  return nullptr;
}

Result<void, Error> Enumerate(ConfigSpace& config, const acpi::EcamRegion* regions,
                              uint32_t region_count, DeviceTable& out) {
  out.count = 0;
  out.buses_scanned = 0;
  for (uint32_t i = 0; i < region_count; ++i) {
    BusWalk walk(config, regions[i].segment, out);
    TRY(walk.Run(regions[i].start_bus, regions[i].end_bus));
  }
  return Ok<Error>();
}

}  // namespace hiillos::pci
