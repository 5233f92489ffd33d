// lib/acpi/prt_test.cc — the AML reader and the _PRT decoder: QEMU q35's real DSDT
// (testdata/q35_dsdt.aml, how it was obtained: testdata/dump_q35_dsdt.py), hand-built AML for
// each accepted form, and malformed or unsupported inputs.
#include <stdint.h>
#include <stdlib.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "gtest/gtest.h"
#include "lib/acpi/aml.h"
#include "lib/acpi/prt.h"
#include "lib/acpi/sdt.h"

namespace hiillos::acpi {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes ReadQ35Dsdt() {
  const char* path = getenv("ACPI_TEST_Q35_DSDT");
  EXPECT_NE(path, nullptr);
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void Append(Bytes& out, const Bytes& more) {
  out.insert(out.end(), more.begin(), more.end());
}
void Seg(Bytes& out, const char (&s)[5]) {
  out.insert(out.end(), s, s + 4);
}
// Op, then a PkgLength covering `body` (1 or 2 bytes), then body.
Bytes Pkg(Bytes op, const Bytes& body) {
  uint64_t length = body.size() + 1;
  if (length <= 0x3F) {
    op.push_back(static_cast<uint8_t>(length));
  } else {
    length += 1;
    op.push_back(static_cast<uint8_t>(0x40 | (length & 0xF)));
    op.push_back(static_cast<uint8_t>(length >> 4));
  }
  Append(op, body);
  return op;
}
Bytes Name(const char (&s)[5], const Bytes& value) {
  Bytes out{0x08};
  Seg(out, s);
  Append(out, value);
  return out;
}
Bytes Dword(uint32_t v) {
  return {0x0C, static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8),
          static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 24)};
}
Bytes Scope(const Bytes& name, const Bytes& body) {
  Bytes inner = name;
  Append(inner, body);
  return Pkg({0x10}, inner);
}
Bytes Device(const char (&s)[5], const Bytes& body) {
  Bytes inner;
  Seg(inner, s);
  Append(inner, body);
  return Pkg({0x5B, 0x82}, inner);
}
Bytes Method(const char (&s)[5], uint8_t flags, const Bytes& body) {
  Bytes inner;
  Seg(inner, s);
  inner.push_back(flags);
  Append(inner, body);
  return Pkg({0x14}, inner);
}
Bytes Return(const char (&s)[5]) {
  Bytes out{0xA4};
  Seg(out, s);
  return out;
}
Bytes NameBytes(const char (&s)[5]) {
  Bytes out;
  Seg(out, s);
  return out;
}
// Package { {device << 16 | 0xFFFF, pin, source, index}, ... }.
struct Entry {
  uint32_t device;
  uint8_t pin;
  const char* source;  // nullptr: Zero
  uint32_t index;
};
Bytes PrtPackage(const std::vector<Entry>& entries) {
  Bytes body{static_cast<uint8_t>(entries.size())};
  for (const Entry& e : entries) {
    Bytes inner{0x04};
    Append(inner, Dword(e.device << 16 | 0xFFFF));
    inner.push_back(0x0A);
    inner.push_back(e.pin);
    if (e.source == nullptr) {
      inner.push_back(0x00);
    } else {
      inner.insert(inner.end(), e.source, e.source + 4);
    }
    Append(inner, Dword(e.index));
    Append(body, Pkg({0x12}, inner));
  }
  return Pkg({0x12}, body);
}
// A link device with a static _CRS: one Extended Interrupt descriptor.
Bytes Link(const char (&s)[5], uint32_t gsi, uint8_t flags) {
  Bytes crs{
      0x89, 0x06, 0x00, flags, 0x01, static_cast<uint8_t>(gsi), static_cast<uint8_t>(gsi >> 8),
      0,    0,    0x79, 0x00};
  Bytes buffer{0x0A, static_cast<uint8_t>(crs.size())};
  Append(buffer, crs);
  Bytes body = Name("_HID", Dword(EisaId("PNP0C0F")));
  Append(body, Name("_CRS", Pkg({0x11}, buffer)));
  return Device(s, body);
}
Bytes RootBridge(const Bytes& extra) {
  Bytes body = Name("_HID", Dword(EisaId("PNP0A08")));
  Append(body, extra);
  return Scope({0x5C, '_', 'S', 'B', '_'}, Device("PCI0", body));
}
Result<PciRouting, Error> Decode(const Bytes& aml) {
  ByteView view(aml.data(), aml.size());
  return DecodePciRouting(&view, 1);
}

TEST(EisaIdTest, MatchesTheCompressedEncoding) {
  EXPECT_EQ(EisaId("PNP0A08"), 0x080AD041u);
  EXPECT_EQ(EisaId("PNP0A03"), 0x030AD041u);
  EXPECT_EQ(EisaId("PNP0C0F"), 0x0F0CD041u);
}

TEST(AmlCursorTest, PkgLengthEncodings) {
  const uint8_t one[] = {0x05, 1, 2, 3, 4};
  AmlCursor a(ByteView(one, sizeof(one)), 0);
  EXPECT_EQ(a.PkgEnd().value(), 5u);
  const uint8_t two[] = {0x42, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  AmlCursor b(ByteView(two, sizeof(two)), 0);
  EXPECT_EQ(b.PkgEnd().value(), 0x12u);
  const uint8_t past[] = {0x3F, 0};
  AmlCursor c(ByteView(past, sizeof(past)), 0);
  EXPECT_EQ(c.PkgEnd().error(), Error::kBadAml);
  const uint8_t reserved[] = {0x72, 0, 0};  // bits 4-5 set with a follow byte
  AmlCursor d(ByteView(reserved, sizeof(reserved)), 0);
  EXPECT_EQ(d.PkgEnd().error(), Error::kBadAml);
  const uint8_t truncated[] = {0xC0, 0x01};
  AmlCursor e(ByteView(truncated, sizeof(truncated)), 0);
  EXPECT_EQ(e.PkgEnd().error(), Error::kBadAml);
}

TEST(AmlCursorTest, NameStrings) {
  const uint8_t rooted[] = {0x5C, 0x2E, '_', 'S', 'B', '_', 'P', 'C', 'I', '0'};
  AmlCursor a(ByteView(rooted, sizeof(rooted)), 0);
  AmlName name = a.Name().value();
  EXPECT_TRUE(name.rooted);
  EXPECT_EQ(name.count, 2u);
  EXPECT_EQ(name.segs[1], AmlSeg("PCI0"));
  const uint8_t carets[] = {0x5E, 0x5E, 'A', 'B', 'C', 'D'};
  AmlCursor b(ByteView(carets, sizeof(carets)), 0);
  EXPECT_EQ(b.Name().value().parents, 2u);
  const uint8_t bad_char[] = {'1', 'A', 'B', 'C'};
  AmlCursor c(ByteView(bad_char, sizeof(bad_char)), 0);
  EXPECT_EQ(c.Name().error(), Error::kBadAml);
  const uint8_t too_many[] = {0x2F, 0x20, 'A', 'B', 'C', 'D'};
  AmlCursor d(ByteView(too_many, sizeof(too_many)), 0);
  EXPECT_EQ(d.Name().error(), Error::kBadAml);
  const uint8_t short_seg[] = {0x2E, 'A', 'B', 'C', 'D', 'E'};
  AmlCursor e(ByteView(short_seg, sizeof(short_seg)), 0);
  EXPECT_EQ(e.Name().error(), Error::kBadAml);
  // More carets than the scope has parents.
  AmlPath scope = AmlPath().Child(AmlSeg("_SB_")).value();
  AmlName up;
  up.parents = 2;
  up.count = 1;
  up.segs[0] = AmlSeg("ABCD");
  EXPECT_EQ(AmlAbsolute(scope, up).error(), Error::kBadAml);
}

TEST(Q35DsdtTest, IsAValidTable) {
  Bytes dsdt = ReadQ35Dsdt();
  ASSERT_GT(dsdt.size(), kSdtHeaderSize);
  const Signature signature("DSDT");
  EXPECT_TRUE(ValidateTable(ByteView(dsdt.data(), dsdt.size()), 0, &signature).ok());
}

TEST(Q35DsdtTest, RoutesEveryRootBusSlotThroughGsiLinks) {
  Bytes dsdt = ReadQ35Dsdt();
  ASSERT_GT(dsdt.size(), kSdtHeaderSize);
  Bytes aml(dsdt.begin() + kSdtHeaderSize, dsdt.end());
  auto routing = Decode(aml);
  ASSERT_TRUE(routing.ok()) << ErrorString(routing.error());
  const PciRouting& r = routing.value();
  EXPECT_EQ(r.root_bridge.count, 2u);
  EXPECT_EQ(r.root_bridge.segs[0], AmlSeg("_SB_"));
  EXPECT_EQ(r.root_bridge.segs[1], AmlSeg("PCI0"));
  EXPECT_EQ(r.count, 128u);  // 32 slots x 4 pins
  // q35 (QEMU's q35 routing table): slots 0-24 rotate over GSIE-GSIH, i.e. GSI
  // 20 + (slot + pin) % 4; the ICH9 functions in slots 25-29 and 31 use GSIA-GSID (16 + pin)
  // and slot 30 GSIE-GSIH without rotation (20 + pin).
  for (uint32_t i = 0; i < r.count; ++i) {
    const PciIntxRoute& route = r.routes[i];
    ASSERT_LE(route.pin, 3);
    uint32_t expected = 20u + (route.device + route.pin) % 4;
    if ((route.device >= 25 && route.device <= 29) || route.device == 31)
      expected = 16u + route.pin;
    if (route.device == 30) expected = 20u + route.pin;
    EXPECT_EQ(route.gsi, expected) << "device " << int(route.device) << " pin " << int(route.pin);
    // Interrupt (ResourceConsumer, Level, ActiveHigh, Shared).
    EXPECT_TRUE(route.level);
    EXPECT_FALSE(route.active_low);
    EXPECT_TRUE(route.shared);
  }
  const uint8_t virtio_slot[] = {2};
  EXPECT_EQ(RoutePciInterrupt(r, virtio_slot, 1, 0).value().gsi, 22u);
}

TEST(Q35DsdtTest, TruncationsAreErrorsOrPartialNeverCrashes) {
  Bytes dsdt = ReadQ35Dsdt();
  ASSERT_GT(dsdt.size(), kSdtHeaderSize);
  Bytes aml(dsdt.begin() + kSdtHeaderSize, dsdt.end());
  for (size_t size = 0; size < aml.size(); size += 7) {
    Bytes cut(aml.begin(), aml.begin() + static_cast<long>(size));
    auto routing = Decode(cut);
    if (routing.ok()) EXPECT_LE(routing.value().count, kMaxPrtEntries);
  }
}

TEST(PrtTest, NamePackageWithDirectGsis) {
  Bytes aml = RootBridge(
      Name("_PRT", PrtPackage({{1, 0, nullptr, 16}, {1, 1, nullptr, 17}, {3, 2, nullptr, 40}})));
  auto routing = Decode(aml);
  ASSERT_TRUE(routing.ok()) << ErrorString(routing.error());
  ASSERT_EQ(routing.value().count, 3u);
  EXPECT_EQ(routing.value().routes[2].device, 3);
  EXPECT_EQ(routing.value().routes[2].pin, 2);
  EXPECT_EQ(routing.value().routes[2].gsi, 40u);
  EXPECT_TRUE(routing.value().routes[2].level);
  EXPECT_TRUE(routing.value().routes[2].active_low);
}

TEST(PrtTest, MethodReturningAPackageThroughALinkDevice) {
  Bytes sb_body = Link("LNK1", 21, 0x01 | 0x04);  // level, active low, exclusive
  Bytes pci = Name("_HID", Dword(EisaId("PNP0A03")));
  Append(pci, Name("TBL0", PrtPackage({{4, 0, "LNK1", 0}})));
  Append(pci, Method("_PRT", 0, Return("TBL0")));
  Append(sb_body, Device("PCI0", pci));
  Bytes aml = Scope({0x5C, '_', 'S', 'B', '_'}, sb_body);
  auto routing = Decode(aml);
  ASSERT_TRUE(routing.ok()) << ErrorString(routing.error());
  ASSERT_EQ(routing.value().count, 1u);
  const PciIntxRoute& route = routing.value().routes[0];
  EXPECT_EQ(route.gsi, 21u);
  EXPECT_TRUE(route.level);
  EXPECT_TRUE(route.active_low);
  EXPECT_FALSE(route.shared);
}

// `If (P) Return (A) Else Return (B)` with the _PIC flag, in each accepted predicate form.
Bytes PicPrt(const Bytes& predicate, bool with_else) {
  Bytes root = Name("PICF", {0x00});
  Bytes pic_body{0x70, 0x68};
  Append(pic_body, NameBytes("PICF"));
  Append(root, Method("_PIC", 1, pic_body));
  Bytes pci;
  Append(pci, Name("APIC", PrtPackage({{5, 0, nullptr, 30}})));
  Append(pci, Name("PICT", PrtPackage({{5, 0, nullptr, 5}})));
  Bytes then_body = predicate;
  Append(then_body, Return("APIC"));
  Bytes method = Pkg({0xA0}, then_body);
  if (with_else) {
    Append(method, Pkg({0xA1}, Return("PICT")));
  } else {
    Append(method, Return("PICT"));
  }
  Append(pci, Method("_PRT", 0, method));
  Append(root, RootBridge(pci));
  return root;
}

TEST(PrtTest, IfPicFlagChoosesTheApicTable) {
  const Bytes predicates[] = {
      NameBytes("PICF"),
      [] {
        Bytes p{0x93};
        Append(p, NameBytes("PICF"));
        p.push_back(0x01);
        return p;
      }(),
  };
  for (const Bytes& predicate : predicates) {
    for (bool with_else : {true, false}) {
      auto routing = Decode(PicPrt(predicate, with_else));
      ASSERT_TRUE(routing.ok()) << ErrorString(routing.error());
      EXPECT_EQ(routing.value().routes[0].gsi, 30u);
    }
  }
}

TEST(PrtTest, NegatedPredicatesChooseTheOtherBranch) {
  Bytes lequal_zero{0x93};
  Append(lequal_zero, NameBytes("PICF"));
  lequal_zero.push_back(0x00);
  Bytes lnot{0x92};
  Append(lnot, NameBytes("PICF"));
  for (const Bytes& predicate : {lequal_zero, lnot}) {
    auto routing = Decode(PicPrt(predicate, true));
    ASSERT_TRUE(routing.ok()) << ErrorString(routing.error());
    EXPECT_EQ(routing.value().routes[0].gsi, 5u);  // the "else" table is the APIC one here
  }
}

TEST(PrtTest, APredicateOnAnotherFlagIsUnsupported) {
  Bytes other = Name("OTHR", {0x00});
  Bytes aml = PicPrt(NameBytes("OTHR"), true);
  Append(aml, other);
  EXPECT_EQ(Decode(aml).error(), Error::kUnsupportedAml);
}

TEST(PrtTest, AMethodWithoutPicIsUnsupported) {
  Bytes pci;
  Append(pci, Name("APIC", PrtPackage({{5, 0, nullptr, 30}})));
  Bytes body = Pkg({0xA0}, [] {
    Bytes p = NameBytes("PICF");
    Append(p, Return("APIC"));
    return p;
  }());
  Append(body, Return("APIC"));
  Append(pci, Method("_PRT", 0, body));
  Bytes aml = Name("PICF", {0x01});
  Append(aml, RootBridge(pci));
  EXPECT_EQ(Decode(aml).error(), Error::kUnsupportedAml);
}

TEST(PrtTest, OtherMethodBodiesAreUnsupported) {
  // Return (Local0), a Store before the Return, and a method with arguments.
  Bytes local{0xA4, 0x60};
  Bytes store{0x70, 0x01, 0x60};
  Append(store, Return("TBL0"));
  const Bytes bodies[] = {local, store};
  for (const Bytes& body : bodies) {
    Bytes pci = Name("TBL0", PrtPackage({{1, 0, nullptr, 16}}));
    Append(pci, Method("_PRT", 0, body));
    EXPECT_EQ(Decode(RootBridge(pci)).error(), Error::kUnsupportedAml);
  }
  Bytes pci = Name("TBL0", PrtPackage({{1, 0, nullptr, 16}}));
  Append(pci, Method("_PRT", 1, Return("TBL0")));
  EXPECT_EQ(Decode(RootBridge(pci)).error(), Error::kUnsupportedAml);
}

TEST(PrtTest, LinkWithoutStaticCrsIsUnsupported) {
  Bytes link_body = Name("_HID", Dword(EisaId("PNP0C0F")));
  Append(link_body, Method("_CRS", 0, Return("XXXX")));
  Bytes sb_body = Device("LNK1", link_body);
  Bytes pci = Name("_HID", Dword(EisaId("PNP0A08")));
  Append(pci, Name("_PRT", PrtPackage({{4, 0, "LNK1", 0}})));
  Append(sb_body, Device("PCI0", pci));
  EXPECT_EQ(Decode(Scope({0x5C, '_', 'S', 'B', '_'}, sb_body)).error(), Error::kUnsupportedAml);
}

TEST(PrtTest, BadEntriesAreRejected) {
  // Pin 4, a source that names nothing, a source that is not a link device.
  EXPECT_EQ(Decode(RootBridge(Name("_PRT", PrtPackage({{1, 4, nullptr, 16}})))).error(),
            Error::kBadEntry);
  EXPECT_EQ(Decode(RootBridge(Name("_PRT", PrtPackage({{1, 0, "NONE", 0}})))).error(),
            Error::kBadEntry);
  Bytes pci = Name("_PRT", PrtPackage({{1, 0, "_HID", 0}}));
  EXPECT_EQ(Decode(RootBridge(pci)).error(), Error::kBadEntry);
}

TEST(PrtTest, NoRootBridgeOrNoPrtIsNotFound) {
  EXPECT_EQ(Decode(Scope({0x5C, '_', 'S', 'B', '_'}, Device("PCI0", {}))).error(),
            Error::kNotFound);
  EXPECT_EQ(Decode(RootBridge({})).error(), Error::kNotFound);
}

TEST(PrtTest, NestingBeyondTheLimitIsBadAml) {
  Bytes inner = RootBridge(Name("_PRT", PrtPackage({{1, 0, nullptr, 16}})));
  for (uint32_t i = 0; i < kMaxAmlDepth + 2; ++i) inner = Scope(NameBytes("DEEP"), inner);
  EXPECT_EQ(Decode(inner).error(), Error::kBadAml);
}

TEST(PrtTest, UnknownOpcodeStopsOnlyItsScope) {
  // An If at namespace level before the root bridge's scope: that scope's rest is skipped,
  // the next top-level object is still read.
  Bytes aml = Scope(NameBytes("OTHR"), Pkg({0xA0}, {0x01}));
  Append(aml, RootBridge(Name("_PRT", PrtPackage({{1, 0, nullptr, 16}}))));
  auto routing = Decode(aml);
  ASSERT_TRUE(routing.ok()) << ErrorString(routing.error());
  EXPECT_EQ(routing.value().count, 1u);
}

TEST(PrtTest, SwizzleBehindBridges) {
  PciRouting routing;
  for (uint8_t pin = 0; pin < 4; ++pin) {
    routing.routes[routing.count++] = {1, pin, 16u + pin, true, true, true};
  }
  // Device 3 behind the bridge at root device 1: INTA → (0 + 3) % 4 = INTD of device 1.
  const uint8_t one_bridge[] = {1, 3};
  EXPECT_EQ(RoutePciInterrupt(routing, one_bridge, 2, 0).value().gsi, 19u);
  // Two bridges: device 2 behind bridge device 1 behind root device 1, INTB.
  const uint8_t two_bridges[] = {1, 1, 2};
  EXPECT_EQ(RoutePciInterrupt(routing, two_bridges, 3, 1).value().gsi, 16u + (1 + 2 + 1) % 4);
  const uint8_t missing[] = {7};
  EXPECT_EQ(RoutePciInterrupt(routing, missing, 1, 0).error(), Error::kNotFound);
  EXPECT_EQ(RoutePciInterrupt(routing, one_bridge, 0, 0).error(), Error::kBadEntry);
  EXPECT_EQ(RoutePciInterrupt(routing, one_bridge, 2, 4).error(), Error::kBadEntry);
}

}  // namespace
}  // namespace hiillos::acpi
