// services/pcid/intx_test.cc — RouteIntx: functions on the root bus and behind bridges.
#include "services/pcid/intx.h"

#include "gtest/gtest.h"

namespace hiillos::pcid {
namespace {

pci::Function Device(uint8_t bus, uint8_t device, uint8_t pin) {
  pci::Function f;
  f.address = {0, bus, device, 0};
  f.interrupt_pin = pin;
  return f;
}

pci::Function Bridge(uint8_t bus, uint8_t device, uint8_t secondary) {
  pci::Function f = Device(bus, device, 0);
  f.header_type = 1;
  f.secondary_bus = secondary;
  f.subordinate_bus = secondary;
  return f;
}

struct Fixture {
  pci::DeviceTable table;
  acpi::PciRouting routing;
  Fixture() {
    // Root device d, pin p -> GSI 16 + (d + p) % 4 (a q35-like rotation) for devices 0..7.
    for (uint8_t d = 0; d < 8; ++d) {
      for (uint8_t p = 0; p < 4; ++p) {
        routing.routes[routing.count++] = {d, p, 16u + (d + p) % 4u, true, false, true};
      }
    }
  }
  void Add(const pci::Function& f) { table.functions[table.count++] = f; }
};

TEST(IntxTest, RootBusFunctionUsesItsOwnEntry) {
  Fixture fx;
  fx.Add(Device(0, 2, 1));  // INTA
  auto route = RouteIntx(fx.table, fx.routing, 0, fx.table.functions[0]);
  ASSERT_TRUE(route.ok());
  EXPECT_EQ(route.value().gsi, 18u);
  EXPECT_FALSE(route.value().active_low);
}

TEST(IntxTest, BehindTwoBridgesSwizzles) {
  Fixture fx;
  fx.Add(Bridge(0, 3, 1));
  fx.Add(Bridge(1, 1, 2));
  fx.Add(Device(2, 5, 2));  // INTB
  auto route = RouteIntx(fx.table, fx.routing, 0, fx.table.functions[2]);
  ASSERT_TRUE(route.ok());
  // INTB (1) of device 5 -> (1 + 5) % 4 = 2 at bridge 1:1 -> (2 + 1) % 4 = 3 at root device 3.
  EXPECT_EQ(route.value().gsi, 16u + (3 + 3) % 4);
}

TEST(IntxTest, Errors) {
  Fixture fx;
  fx.Add(Device(0, 2, 0));
  fx.Add(Device(4, 0, 1));   // no bridge leads to bus 4
  fx.Add(Device(0, 20, 1));  // no _PRT entry for device 20
  fx.Add(Device(0, 2, 5));
  EXPECT_EQ(RouteIntx(fx.table, fx.routing, 0, fx.table.functions[0]).error(), IntxError::kNoPin);
  EXPECT_EQ(RouteIntx(fx.table, fx.routing, 0, fx.table.functions[1]).error(),
            IntxError::kNoRouting);
  EXPECT_EQ(RouteIntx(fx.table, fx.routing, 0, fx.table.functions[2]).error(),
            IntxError::kNotInTable);
  EXPECT_EQ(RouteIntx(fx.table, fx.routing, 0, fx.table.functions[3]).error(), IntxError::kNoPin);
}

}  // namespace
}  // namespace hiillos::pcid
