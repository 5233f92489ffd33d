// kernel/arch/x86_64/irq_routing_test.cc — host tests of ISA override resolution, LINT wiring
// and redirection entry encoding.
#include "kernel/arch/x86_64/irq_routing.h"

#include <gtest/gtest.h>

namespace hiillos::arch {
namespace {

acpi::Madt QemuLikeMadt() {
  acpi::Madt madt;
  madt.cpu_count = 2;
  madt.cpus[0] = acpi::Cpu{0, 0, false};
  madt.cpus[1] = acpi::Cpu{1, 1, false};
  madt.override_count = 2;
  madt.overrides[0] = {0, 0, 2, acpi::Polarity::kConforms, acpi::Trigger::kConforms};
  madt.overrides[1] = {0, 9, 9, acpi::Polarity::kActiveHigh, acpi::Trigger::kLevel};
  return madt;
}

TEST(ResolveIsaIrq, IdentityWithoutOverride) {
  acpi::Madt madt = QemuLikeMadt();
  IrqRoute route = ResolveIsaIrq(madt, 4);
  EXPECT_EQ(route.gsi, 4u);
  EXPECT_EQ(route.polarity, IrqPolarity::kActiveHigh);
  EXPECT_EQ(route.trigger, IrqTrigger::kEdge);
}

TEST(ResolveIsaIrq, ConformingOverrideKeepsIsaDefaults) {
  IrqRoute route = ResolveIsaIrq(QemuLikeMadt(), 0);
  EXPECT_EQ(route.gsi, 2u);
  EXPECT_EQ(route.polarity, IrqPolarity::kActiveHigh);
  EXPECT_EQ(route.trigger, IrqTrigger::kEdge);
}

TEST(ResolveIsaIrq, OverrideFlagsAreHonoured) {
  IrqRoute sci = ResolveIsaIrq(QemuLikeMadt(), 9);
  EXPECT_EQ(sci.gsi, 9u);
  EXPECT_EQ(sci.trigger, IrqTrigger::kLevel);
  EXPECT_EQ(sci.polarity, IrqPolarity::kActiveHigh);
  acpi::Madt madt = QemuLikeMadt();
  madt.overrides[1] = {0, 11, 20, acpi::Polarity::kActiveLow, acpi::Trigger::kLevel};
  IrqRoute pci = ResolveIsaIrq(madt, 11);
  EXPECT_EQ(pci.gsi, 20u);
  EXPECT_EQ(pci.polarity, IrqPolarity::kActiveLow);
  EXPECT_EQ(pci.trigger, IrqTrigger::kLevel);
}

TEST(ResolveIsaIrq, IgnoresOtherBusesAndBogusCounts) {
  acpi::Madt madt = QemuLikeMadt();
  madt.overrides[0].bus = 1;  // not ISA
  EXPECT_EQ(ResolveIsaIrq(madt, 0).gsi, 0u);
  madt.override_count = 1000;  // corrupt count: must not read past the array
  EXPECT_EQ(ResolveIsaIrq(madt, 9).gsi, 9u);
  EXPECT_EQ(ResolveIsaIrq(madt, 15).gsi, 15u);
}

TEST(ResolveIsaIrq, FirstOverrideWins) {
  acpi::Madt madt = QemuLikeMadt();
  madt.override_count = 3;
  madt.overrides[2] = {0, 0, 7, acpi::Polarity::kActiveLow, acpi::Trigger::kLevel};
  EXPECT_EQ(ResolveIsaIrq(madt, 0).gsi, 2u);
}

TEST(LocalApicConfigFor, AllProcessorEntryAppliesToEveryone) {
  acpi::Madt madt = QemuLikeMadt();
  madt.local_nmi_count = 1;
  madt.local_nmis[0] = {acpi::kAllProcessors, 1, acpi::Polarity::kConforms,
                        acpi::Trigger::kConforms};
  for (uint32_t id : {0u, 1u, 77u}) {  // 77: not in the MADT, still gets the global entry
    LapicLocalConfig config = LocalApicConfigFor(madt, id);
    EXPECT_FALSE(config.lint[0].nmi);
    EXPECT_TRUE(config.lint[1].nmi);
    EXPECT_FALSE(config.lint[1].active_low);
  }
}

TEST(LocalApicConfigFor, PerProcessorEntriesMatchByUid) {
  acpi::Madt madt = QemuLikeMadt();
  madt.cpus[1].uid = 5;  // APIC ID 1 has UID 5
  madt.local_nmi_count = 3;
  madt.local_nmis[0] = {5, 0, acpi::Polarity::kActiveLow, acpi::Trigger::kEdge};
  madt.local_nmis[1] = {0, 1, acpi::Polarity::kActiveHigh, acpi::Trigger::kEdge};
  madt.local_nmis[2] = {5, 7, acpi::Polarity::kActiveHigh, acpi::Trigger::kEdge};  // bad LINT
  LapicLocalConfig one = LocalApicConfigFor(madt, 1);
  EXPECT_TRUE(one.lint[0].nmi);
  EXPECT_TRUE(one.lint[0].active_low);
  EXPECT_FALSE(one.lint[1].nmi);
  LapicLocalConfig zero = LocalApicConfigFor(madt, 0);
  EXPECT_FALSE(zero.lint[0].nmi);
  EXPECT_TRUE(zero.lint[1].nmi);
  LapicLocalConfig unknown = LocalApicConfigFor(madt, 9);  // not listed: no per-UID entries
  EXPECT_FALSE(unknown.lint[0].nmi);
  EXPECT_FALSE(unknown.lint[1].nmi);
  madt.local_nmi_count = 500;  // corrupt: bounded by the array
  (void)LocalApicConfigFor(madt, 1);
}

TEST(EncodeRedirection, FieldsLandWhereTheDatasheetSays) {
  uint64_t plain = EncodeRedirection(0x31, 0, IrqPolarity::kActiveHigh, IrqTrigger::kEdge, false);
  EXPECT_EQ(plain, 0x31u);
  uint64_t all = EncodeRedirection(0xa0, 0x0f, IrqPolarity::kActiveLow, IrqTrigger::kLevel, true);
  EXPECT_EQ(all & 0xff, 0xa0u);
  EXPECT_EQ((all >> 8) & 0x7, 0u);  // fixed delivery
  EXPECT_EQ((all >> 11) & 1, 0u);   // physical destination
  EXPECT_EQ((all >> 13) & 1, 1u);   // active low
  EXPECT_EQ((all >> 15) & 1, 1u);   // level
  EXPECT_EQ((all >> 16) & 1, 1u);   // masked
  EXPECT_EQ(all >> 56, 0x0fu);
  EXPECT_EQ(all & 0x00ff'ffff'fffe'0000ull, 0u);  // reserved bits clear
}

}  // namespace
}  // namespace hiillos::arch
