// lib/pci/pci_fuzzer.cc — libFuzzer target: enumeration of a random configuration space (random
// functions with random header bytes, BAR write masks, bridges and capability lists) always
// ends, never makes an out-of-contract access, finds only present functions, and the hand-off
// helpers (BAR frames, MSI-X location) give ranges inside what they were asked about.
#include <fuzzer/FuzzedDataProvider.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/pci/enumerate.h"
#include "lib/pci/testing/simulated_config_space.h"

namespace hiillos::pci {
namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

constexpr uint8_t kMaxFuzzedFunctions = 24;

// Capability IDs worth producing: the decoded ones and two that are only listed.
constexpr uint8_t kInterestingCapabilities[] = {kCapabilityIdMsi, kCapabilityIdMsix,
                                                kCapabilityIdPciExpress, 0x09};

void AddRandomFunction(FuzzedDataProvider& data, testing::SimulatedConfigSpace& config) {
  // Few buses and devices, so functions collide with bridges' secondary buses.
  const FunctionAddress address{0, static_cast<uint8_t>(data.ConsumeIntegralInRange(0, 7)),
                                static_cast<uint8_t>(data.ConsumeIntegralInRange(0, 31)),
                                static_cast<uint8_t>(data.ConsumeIntegralInRange(0, 7))};
  // The first dwords of the header and capability area (up to 0xFF) from the input.
  const uint8_t random_dwords = data.ConsumeIntegralInRange<uint8_t>(0, 64);
  for (uint16_t offset = 0; offset < 4 * random_dwords; offset += 4) {
    config.Poke32(address, offset, data.ConsumeIntegral<uint32_t>());
  }
  // A shape on top, so bridges, multi-function devices and capability chains are common
  // rather than one input in hundreds.
  const uint8_t shape = data.ConsumeIntegral<uint8_t>();
  if (shape & 0x01) {
    config.Poke16(address, kRegVendorId, 0x1B36);
    config.Poke8(address, kRegHeaderType,
                 static_cast<uint8_t>(((shape >> 1) & 0x03) | (shape & 0x08 ? 0x80 : 0)));
  }
  if (shape & 0x10) {
    config.Poke8(address, kRegSecondaryBus, data.ConsumeIntegralInRange<uint8_t>(0, 8));
    config.Poke8(address, kRegSubordinateBus, data.ConsumeIntegralInRange<uint8_t>(0, 8));
  }
  if (shape & 0x20) {
    const uint8_t chain = data.ConsumeIntegralInRange<uint8_t>(1, 6);
    for (uint8_t i = 0; i < chain; ++i) {
      const uint8_t offset = data.ConsumeIntegralInRange<uint8_t>(0x10, 0x3F) * 4;
      config.AddCapability(address, offset, data.PickValueInArray(kInterestingCapabilities));
      config.Poke16(address, offset + 2, data.ConsumeIntegral<uint16_t>());
    }
    if (shape & 0x40) {  // some entry points anywhere (back into the list, or below 0x40)
      const uint8_t last = data.ConsumeIntegral<uint8_t>();
      config.Poke8(address,
                   static_cast<uint16_t>(data.ConsumeIntegralInRange<uint8_t>(0x10, 0x3F) * 4 + 1),
                   last);
    }
  }
  // Writable command register, BARs and some capability bytes (so sizing and MSI writes
  // change what later reads see).
  config.SetWritable(address, kRegCommand, data.ConsumeIntegral<uint16_t>(), 2);
  for (uint16_t offset = kRegBar0; offset < kRegBar0 + 24; offset += 4) {
    config.SetWritable(address, offset, data.ConsumeIntegral<uint32_t>(), 4);
  }
  const uint8_t writable_capability = data.ConsumeIntegral<uint8_t>() & 0xFC;
  if (writable_capability >= 0x40) {
    config.SetWritable(address, writable_capability, data.ConsumeIntegral<uint32_t>(), 4);
  }
}

}  // namespace
}  // namespace hiillos::pci

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  using namespace hiillos::pci;
  FuzzedDataProvider data(bytes, size);
  testing::SimulatedConfigSpace config;
  hiillos::acpi::EcamRegion region{.segment = 0};
  region.start_bus = data.ConsumeIntegralInRange<uint8_t>(0, 3);
  region.end_bus = data.ConsumeIntegralInRange<uint8_t>(region.start_bus, 255);
  const uint8_t functions = data.ConsumeIntegralInRange<uint8_t>(0, kMaxFuzzedFunctions);
  for (uint8_t i = 0; i < functions && data.remaining_bytes() > 0; ++i) {
    AddRandomFunction(data, config);
  }

  static DeviceTable table;
  auto result = Enumerate(config, &region, 1, table);
  Check(result.ok() || result.error() == Error::kTooManyFunctions);
  Check(config.bad_accesses() == 0);
  Check(table.count <= kMaxFunctions);
  Check(table.buses_scanned <= 256);
  // Every function probed costs a bounded number of accesses (header, 6 BARs x 4 + 4, 48
  // capabilities x 6): the walk is bounded by the buses it scanned.
  Check(config.accesses() <= uint64_t{table.buses_scanned} * 32 * 8 * 400);
  for (uint32_t i = 0; i < table.count; ++i) {
    const Function& function = table.functions[i];
    Check(function.vendor_id != kVendorAbsent);
    Check(function.address.bus >= region.start_bus && function.address.bus <= region.end_bus);
    Check(function.capabilities.count <= kMaxCapabilities);
    for (uint8_t bar = 0; bar < function.bar_count; ++bar) {
      auto frames = FramesOfBar(function.bars[bar]);
      if (!frames.ok()) continue;
      Check(frames.value().phys_base <= function.bars[bar].base);
      Check(frames.value().phys_base + frames.value().offset_in_page == function.bars[bar].base);
      Check(frames.value().size >= function.bars[bar].size);
    }
    auto table_location = LocateMsixTable(function);
    if (table_location.ok()) {
      const Bar& bar = function.bars[table_location.value().bar];
      Check(table_location.value().offset + table_location.value().size <= bar.size);
    }
  }
  return 0;
}
