// lib/pci/enumerate_test.cc — bus walks over simulated topologies: a q35-like machine, bridges
// that point backwards, at themselves or outside their parent, and the function limit.
#include "lib/pci/enumerate.h"

#include <gtest/gtest.h>

#include "lib/pci/testing/simulated_config_space.h"

namespace hiillos::pci {
namespace {

using testing::SimulatedConfigSpace;

constexpr acpi::EcamRegion kQ35Region{
    .base_address = 0xB0000000, .segment = 0, .start_bus = 0, .end_bus = 255};

// pcid keeps its table in static storage: it must need no global constructor.
constinit DeviceTable g_static_table;

FunctionAddress At(uint8_t bus, uint8_t device, uint8_t function) {
  return FunctionAddress{0, bus, device, function};
}

// Host bridge, virtio-blk (64-bit BAR, MSI-X), AHCI (I/O BAR, MSI) in the multi-function LPC
// device, a root port with an xHCI controller behind it.
void BuildQ35(SimulatedConfigSpace& config) {
  config.AddFunction(At(0, 0, 0), 0x8086, 0x29C0, 0x06, 0x00, 0x00, kHeaderTypeDevice);

  config.AddFunction(At(0, 1, 0), 0x1AF4, 0x1042, 0x01, 0x00, 0x00, kHeaderTypeDevice);
  config.AddMemoryBar32(At(0, 1, 0), 1, 0xC1000000, 0x1000, false);
  config.AddMemoryBar64(At(0, 1, 0), 4, 0x800000000, 0x4000, true);
  config.AddCapability(At(0, 1, 0), 0x84, 0x09);  // virtio vendor-specific
  config.AddMsix(At(0, 1, 0), 0x98, 2, 1, 0x000, 1, 0x800);
  config.Poke8(At(0, 1, 0), kRegInterruptPin, 1);
  config.Poke8(At(0, 1, 0), kRegInterruptLine, 10);

  config.AddBridge(At(0, 0x1C, 0), 1, 1);
  config.AddFunction(At(1, 0, 0), 0x1B36, 0x000D, 0x0C, 0x03, 0x30, kHeaderTypeDevice);
  config.AddMemoryBar64(At(1, 0, 0), 0, 0xC1200000, 0x4000, false);

  config.AddFunction(At(0, 0x1F, 0), 0x8086, 0x2918, 0x06, 0x01, 0x00,
                     kHeaderTypeDevice | kHeaderMultiFunction);
  config.AddFunction(At(0, 0x1F, 2), 0x8086, 0x2922, 0x01, 0x06, 0x01, kHeaderTypeDevice);
  config.AddIoBar(At(0, 0x1F, 2), 4, 0xC040, 0x20);
  config.AddMemoryBar32(At(0, 0x1F, 2), 5, 0xC1001000, 0x1000, false);
  config.AddMsi(At(0, 0x1F, 2), 0x80, 1u << 7);
  config.AddFunction(At(0, 0x1F, 3), 0x8086, 0x2930, 0x0C, 0x05, 0x00, kHeaderTypeDevice);
}

TEST(Enumerate, Q35LikeTopology) {
  SimulatedConfigSpace config;
  BuildQ35(config);
  // Not reachable: a bus no bridge forwards to, and function 1 of a single-function device.
  config.AddFunction(At(5, 0, 0), 0x1234, 0x5678, 0x02, 0x00, 0x00, kHeaderTypeDevice);
  config.AddFunction(At(0, 1, 1), 0x1234, 0x5679, 0x02, 0x00, 0x00, kHeaderTypeDevice);

  DeviceTable& table = g_static_table;
  ASSERT_TRUE(Enumerate(config, &kQ35Region, 1, table).ok());
  EXPECT_EQ(config.bad_accesses(), 0u);
  EXPECT_EQ(table.buses_scanned, 2u);
  ASSERT_EQ(table.count, 7u);
  const FunctionAddress expected[] = {At(0, 0, 0),    At(0, 1, 0),    At(0, 0x1C, 0),
                                      At(0, 0x1F, 0), At(0, 0x1F, 2), At(0, 0x1F, 3),
                                      At(1, 0, 0)};
  for (uint32_t i = 0; i < 7; ++i) EXPECT_EQ(table.functions[i].address, expected[i]) << i;

  const Function& host = table.functions[0];
  EXPECT_EQ(host.vendor_id, 0x8086);
  EXPECT_EQ(host.device_id, 0x29C0);
  EXPECT_EQ(host.class_code, 0x06);
  EXPECT_FALSE(host.multi_function);

  const Function* virtio = table.Find(At(0, 1, 0));
  ASSERT_NE(virtio, nullptr);
  EXPECT_EQ(virtio->vendor_id, 0x1AF4);
  EXPECT_EQ(virtio->device_id, 0x1042);
  EXPECT_EQ(virtio->revision, 0x01);
  EXPECT_EQ(virtio->interrupt_pin, 1);
  EXPECT_EQ(virtio->interrupt_line, 10);
  EXPECT_EQ(virtio->bars[0].kind, BarKind::kNone);
  EXPECT_EQ(virtio->bars[1].kind, BarKind::kMemory32);
  EXPECT_EQ(virtio->bars[1].base, 0xC1000000u);
  EXPECT_EQ(virtio->bars[1].size, 0x1000u);
  EXPECT_EQ(virtio->bars[4].kind, BarKind::kMemory64);
  EXPECT_TRUE(virtio->bars[4].prefetchable);
  EXPECT_EQ(virtio->bars[4].base, 0x800000000u);
  EXPECT_EQ(virtio->bars[4].size, 0x4000u);
  EXPECT_EQ(virtio->bars[5].kind, BarKind::kUpperHalf);
  ASSERT_TRUE(virtio->capabilities_ok);
  ASSERT_EQ(virtio->capabilities.count, 2);
  EXPECT_EQ(virtio->capabilities.entries[0].id, 0x09);
  EXPECT_EQ(virtio->capabilities.entries[1].offset, 0x98);
  EXPECT_FALSE(virtio->capabilities.msi.present);
  ASSERT_TRUE(virtio->capabilities.msix.present);
  EXPECT_EQ(virtio->capabilities.msix.table_size, 2);
  EXPECT_EQ(virtio->capabilities.msix.table_bar, 1);
  EXPECT_EQ(virtio->capabilities.msix.pba_offset, 0x800u);

  const Function* port = table.Find(At(0, 0x1C, 0));
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(port->header_type, kHeaderTypeBridge);
  EXPECT_EQ(port->bar_count, 2);
  EXPECT_EQ(port->secondary_bus, 1);
  EXPECT_EQ(port->bridge, BridgeState::kFollowed);

  const Function* lpc = table.Find(At(0, 0x1F, 0));
  ASSERT_NE(lpc, nullptr);
  EXPECT_TRUE(lpc->multi_function);

  const Function* ahci = table.Find(At(0, 0x1F, 2));
  ASSERT_NE(ahci, nullptr);
  EXPECT_EQ(ahci->subclass, 0x06);
  EXPECT_EQ(ahci->prog_if, 0x01);
  EXPECT_EQ(ahci->bars[4].kind, BarKind::kIo);
  EXPECT_EQ(ahci->bars[4].base, 0xC040u);
  EXPECT_EQ(ahci->bars[4].size, 0x20u);
  EXPECT_EQ(ahci->bars[5].kind, BarKind::kMemory32);
  ASSERT_TRUE(ahci->capabilities.msi.present);
  EXPECT_TRUE(ahci->capabilities.msi.is_64bit);
  EXPECT_FALSE(ahci->capabilities.msi.per_vector_masking);

  const Function* xhci = table.Find(At(1, 0, 0));
  ASSERT_NE(xhci, nullptr);
  EXPECT_EQ(xhci->prog_if, 0x30);
  EXPECT_EQ(xhci->bars[0].kind, BarKind::kMemory64);
  EXPECT_EQ(xhci->bars[0].size, 0x4000u);
}

TEST(Enumerate, LeavesCommandAndBarsAsFound) {
  SimulatedConfigSpace config;
  BuildQ35(config);
  config.Poke16(At(0, 1, 0), kRegCommand, kCommandMemorySpace | kCommandBusMaster);
  static DeviceTable table;
  ASSERT_TRUE(Enumerate(config, &kQ35Region, 1, table).ok());
  EXPECT_EQ(config.Read16(At(0, 1, 0), kRegCommand), kCommandMemorySpace | kCommandBusMaster);
  EXPECT_EQ(config.Read32(At(0, 1, 0), kRegBar0 + 4), 0xC1000000u);
  EXPECT_EQ(config.Read32(At(0, 1, 0), kRegBar0 + 16), 0x0000000Cu);
  EXPECT_EQ(config.Read32(At(0, 1, 0), kRegBar0 + 20), 0x8u);
}

// A function with MSI-X or MSI on is a live driver's (a restarted pcid finds it so): it is
// marked held and its BARs are not sized (sizing turns decoding off for a moment).
TEST(Enumerate, HeldFunctionsAreNotSized) {
  SimulatedConfigSpace config;
  BuildQ35(config);
  config.Poke16(At(0, 1, 0), 0x98 + 2, config.Read16(At(0, 1, 0), 0x98 + 2) | 0x8000);
  config.Poke16(At(0, 0x1F, 2), 0x80 + 2, config.Read16(At(0, 0x1F, 2), 0x80 + 2) | 0x1);
  static DeviceTable table;
  ASSERT_TRUE(Enumerate(config, &kQ35Region, 1, table).ok());
  const Function* virtio = table.Find(At(0, 1, 0));
  const Function* ahci = table.Find(At(0, 0x1F, 2));
  const Function* xhci = table.Find(At(1, 0, 0));
  ASSERT_NE(virtio, nullptr);
  ASSERT_NE(ahci, nullptr);
  ASSERT_NE(xhci, nullptr);
  EXPECT_TRUE(virtio->held);
  EXPECT_TRUE(ahci->held);
  EXPECT_FALSE(xhci->held);
  EXPECT_TRUE(virtio->capabilities.msix.present);
  for (const Bar& bar : virtio->bars) EXPECT_EQ(bar.kind, BarKind::kNone);
  for (const Bar& bar : ahci->bars) EXPECT_EQ(bar.kind, BarKind::kNone);
  EXPECT_EQ(xhci->bars[0].kind, BarKind::kMemory64);
  EXPECT_EQ(config.Read32(At(0, 1, 0), kRegBar0 + 4), 0xC1000000u);
}

TEST(Enumerate, BridgesBackwardsOrOntoThemselvesAreNotFollowed) {
  SimulatedConfigSpace config;
  config.AddBridge(At(0, 0, 0), 1, 3);
  config.AddBridge(At(1, 0, 0), 0, 3);  // back to bus 0
  config.AddBridge(At(1, 1, 0), 1, 1);  // onto its own bus
  config.AddBridge(At(1, 2, 0), 2, 9);  // subordinate beyond its parent's range (3)
  config.AddBridge(At(1, 3, 0), 3, 2);  // subordinate below secondary
  config.AddBridge(At(1, 4, 0), 2, 3);  // fine
  config.AddBridge(At(2, 0, 0), 1, 1);  // back up to bus 1
  static DeviceTable table;
  ASSERT_TRUE(Enumerate(config, &kQ35Region, 1, table).ok());
  EXPECT_EQ(config.bad_accesses(), 0u);
  EXPECT_EQ(table.buses_scanned, 3u);
  EXPECT_EQ(table.count, 7u);
  EXPECT_EQ(table.Find(At(1, 0, 0))->bridge, BridgeState::kIgnoredRange);
  EXPECT_EQ(table.Find(At(1, 1, 0))->bridge, BridgeState::kIgnoredRange);
  EXPECT_EQ(table.Find(At(1, 2, 0))->bridge, BridgeState::kIgnoredRange);
  EXPECT_EQ(table.Find(At(1, 3, 0))->bridge, BridgeState::kIgnoredRange);
  EXPECT_EQ(table.Find(At(1, 4, 0))->bridge, BridgeState::kFollowed);
  EXPECT_EQ(table.Find(At(2, 0, 0))->bridge, BridgeState::kIgnoredRange);
}

TEST(Enumerate, TwoBridgesToOneBusScanItOnce) {
  SimulatedConfigSpace config;
  config.AddBridge(At(0, 1, 0), 1, 1);
  config.AddBridge(At(0, 2, 0), 1, 1);
  config.AddFunction(At(1, 0, 0), 0x1234, 0x1, 0x02, 0x00, 0x00, kHeaderTypeDevice);
  static DeviceTable table;
  ASSERT_TRUE(Enumerate(config, &kQ35Region, 1, table).ok());
  EXPECT_EQ(table.count, 3u);
  EXPECT_EQ(table.buses_scanned, 2u);
  EXPECT_EQ(table.Find(At(0, 2, 0))->bridge, BridgeState::kIgnoredVisited);
}

TEST(Enumerate, LongestBridgeChainEnds) {
  SimulatedConfigSpace config;
  for (int bus = 0; bus < 255; ++bus) {
    config.AddBridge(At(static_cast<uint8_t>(bus), 0, 0), static_cast<uint8_t>(bus + 1), 255);
  }
  config.AddBridge(At(255, 0, 0), 0, 255);
  static DeviceTable table;
  ASSERT_TRUE(Enumerate(config, &kQ35Region, 1, table).ok());
  EXPECT_EQ(table.buses_scanned, 256u);
  EXPECT_EQ(table.count, 256u);
  EXPECT_EQ(table.Find(At(255, 0, 0))->bridge, BridgeState::kIgnoredRange);
}

TEST(Enumerate, StaysInsideTheRegionsBusRange) {
  SimulatedConfigSpace config;
  const acpi::EcamRegion region{.segment = 0, .start_bus = 0x10, .end_bus = 0x11};
  config.AddFunction(At(0, 0, 0), 0x1234, 0x1, 0x02, 0x00, 0x00, kHeaderTypeDevice);
  config.AddBridge(At(0x10, 0, 0), 0x11, 0x11);
  config.AddBridge(At(0x10, 1, 0), 0x12, 0x12);  // beyond end_bus
  config.AddFunction(At(0x12, 0, 0), 0x1234, 0x2, 0x02, 0x00, 0x00, kHeaderTypeDevice);
  static DeviceTable table;
  ASSERT_TRUE(Enumerate(config, &region, 1, table).ok());
  EXPECT_EQ(table.count, 2u);
  EXPECT_EQ(table.buses_scanned, 2u);
  EXPECT_EQ(table.Find(At(0x10, 1, 0))->bridge, BridgeState::kIgnoredRange);
}

TEST(Enumerate, EverySegment) {
  SimulatedConfigSpace config;
  const acpi::EcamRegion regions[] = {{.segment = 0, .start_bus = 0, .end_bus = 0},
                                      {.segment = 1, .start_bus = 0, .end_bus = 0}};
  config.AddFunction(FunctionAddress{0, 0, 3, 0}, 0x1234, 0x1, 0x02, 0x00, 0x00, 0);
  config.AddFunction(FunctionAddress{1, 0, 4, 0}, 0x1234, 0x2, 0x02, 0x00, 0x00, 0);
  static DeviceTable table;
  ASSERT_TRUE(Enumerate(config, regions, 2, table).ok());
  ASSERT_EQ(table.count, 2u);
  EXPECT_EQ(table.functions[1].address, (FunctionAddress{1, 0, 4, 0}));
}

TEST(Enumerate, TooManyFunctions) {
  SimulatedConfigSpace config;
  for (uint8_t device = 0; device < 32; ++device) {
    for (uint8_t function = 0; function < 8; ++function) {
      config.AddFunction(At(0, device, function), 0x1234, device, 0x02, 0x00, 0x00,
                         kHeaderTypeDevice | kHeaderMultiFunction);
    }
  }
  config.AddBridge(At(0, 0, 0), 1, 1);
  config.Poke8(At(0, 0, 0), kRegHeaderType, kHeaderTypeBridge | kHeaderMultiFunction);
  config.AddFunction(At(1, 0, 0), 0x1234, 0x99, 0x02, 0x00, 0x00, kHeaderTypeDevice);
  static DeviceTable table;
  auto result = Enumerate(config, &kQ35Region, 1, table);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), Error::kTooManyFunctions);
  EXPECT_EQ(table.count, kMaxFunctions);
}

}  // namespace
}  // namespace hiillos::pci
