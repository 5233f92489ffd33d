// lib/acpi/prt.cc — the root bridge's _PRT, its link devices' _CRS, and the bridge swizzle
// (prt.h says exactly which AML forms are evaluated).
#include "lib/acpi/prt.h"

#include "lib/acpi/fadt.h"

namespace hiillos::acpi {
namespace {

constexpr uint8_t kStringPrefix = 0x0D;
constexpr uint8_t kBufferOp = 0x11;
constexpr uint8_t kPackageOp = 0x12;
constexpr uint8_t kStoreOp = 0x70;
constexpr uint8_t kArg0Op = 0x68;
constexpr uint8_t kLNotOp = 0x92;
constexpr uint8_t kLEqualOp = 0x93;
constexpr uint8_t kIfOp = 0xA0;
constexpr uint8_t kElseOp = 0xA1;
constexpr uint8_t kReturnOp = 0xA4;

constexpr uint32_t kPnp0a08 = EisaId("PNP0A08");  // PCI Express root bridge
constexpr uint32_t kPnp0a03 = EisaId("PNP0A03");  // PCI root bridge
constexpr uint32_t kPnp0c0f = EisaId("PNP0C0F");  // PCI interrupt link device

// ACPI 6.5 §6.4.3.6: Extended Interrupt Descriptor (large item 0x09).
constexpr uint8_t kExtendedInterruptTag = 0x89;
constexpr uint8_t kSmallEndTag = 0x79;
constexpr uint8_t kIntEdge = 1u << 1;
constexpr uint8_t kIntActiveLow = 1u << 2;
constexpr uint8_t kIntShared = 1u << 3;

// One id in a _HID/_CID data object: an EisaId integer or a "PNP0A08" string.
Result<uint32_t, Error> ReadId(AmlCursor& cursor) {
  uint8_t op = TRY(cursor.Peek());
  if (op != kStringPrefix) return static_cast<uint32_t>(TRY(cursor.Integer()));
  (void)TRY(cursor.Byte());
  char text[8] = {};
  uint32_t length = 0;
  while (true) {
    uint8_t c = TRY(cursor.Byte());
    if (c == 0) break;
    if (length < 7) text[length] = static_cast<char>(c);
    ++length;
  }
  if (length != 7) return uint32_t{0};  // not an EISA-style id; matches nothing we look for
  for (char c : text) {
    if (c != 0 && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return uint32_t{0};
  }
  // EisaId() wants a literal; build the same value from the copied characters.
  auto hex = [](char c) -> uint32_t {
    return c <= '9' ? static_cast<uint32_t>(c - '0') : static_cast<uint32_t>(c - 'A' + 10);
  };
  uint32_t vendor = (static_cast<uint32_t>(text[0] - 0x40) & 0x1F) << 10 |
                    (static_cast<uint32_t>(text[1] - 0x40) & 0x1F) << 5 |
                    (static_cast<uint32_t>(text[2] - 0x40) & 0x1F);
  uint32_t product = hex(text[3]) << 12 | hex(text[4]) << 8 | hex(text[5]) << 4 | hex(text[6]);
  return (vendor >> 8) | (vendor & 0xFF) << 8 | (product >> 8) << 16 | (product & 0xFF) << 24;
}

// Whether a _HID/_CID value (an id, or a Package of ids) contains `a` or `b`.
bool IdMatches(ByteView value, uint32_t a, uint32_t b) {
  AmlCursor cursor(value, 0);
  auto op = cursor.Peek();
  if (!op.ok()) return false;
  if (op.value() != kPackageOp) {
    auto id = ReadId(cursor);
    return id.ok() && (id.value() == a || id.value() == b);
  }
  (void)cursor.Byte();
  auto end = cursor.PkgEnd();
  auto count = cursor.Byte();
  if (!end.ok() || !count.ok()) return false;
  for (uint32_t i = 0; i < count.value() && cursor.position() < end.value(); ++i) {
    auto id = ReadId(cursor);
    if (!id.ok()) return false;
    if (id.value() == a || id.value() == b) return true;
  }
  return false;
}

struct RootSearch {
  AmlPath found;
  bool ok = false;
};

bool FindRootBridgeId(void* context, const AmlObject& object) {
  auto* search = static_cast<RootSearch*>(context);
  if (object.kind != AmlObjectKind::kName || object.path.count == 0) return false;
  const uint32_t last = object.path.segs[object.path.count - 1];
  if (last != AmlSeg("_HID") && last != AmlSeg("_CID")) return false;
  if (!IdMatches(object.body, kPnp0a08, kPnp0a03)) return false;
  search->found = object.path.Parent();
  search->ok = true;
  return true;
}

// Whether `path` names a Device whose _HID or _CID is `id`.
Result<bool, Error> DeviceHasId(const ByteView* aml, uint32_t count, const AmlPath& path,
                                uint32_t id) {
  auto device = FindAmlObject(aml, count, path);
  if (!device.ok())
    return device.error() == Error::kNotFound ? Result<bool, Error>(false) : Err(device.error());
  if (device.value().kind != AmlObjectKind::kDevice) return false;
  const uint32_t id_names[] = {AmlSeg("_HID"), AmlSeg("_CID")};
  for (uint32_t seg : id_names) {
    auto name = FindAmlObject(aml, count, TRY(path.Child(seg)));
    if (!name.ok()) {
      if (name.error() != Error::kNotFound) return Err(name.error());
      continue;
    }
    if (name.value().kind == AmlObjectKind::kName && IdMatches(name.value().body, id, id)) {
      return true;
    }
  }
  return false;
}

// The flag \_PIC stores its argument into: its body must be `Store (Arg0, F)`.
Result<AmlPath, Error> PicModeFlag(const ByteView* aml, uint32_t count) {
  AmlPath pic = TRY(AmlPath().Child(AmlSeg("_PIC")));
  auto method = FindAmlObject(aml, count, pic);
  if (!method.ok()) {
    return Err(method.error() == Error::kNotFound ? Error::kUnsupportedAml : method.error());
  }
  if (method.value().kind != AmlObjectKind::kMethod) return Err(Error::kUnsupportedAml);
  AmlCursor cursor(method.value().body, 0);
  if (TRY(cursor.Byte()) != kStoreOp || TRY(cursor.Byte()) != kArg0Op) {
    return Err(Error::kUnsupportedAml);
  }
  const AmlName flag = TRY(cursor.Name());
  auto target = ResolveAmlName(aml, count, pic, flag);
  if (!target.ok()) {
    return Err(target.error() == Error::kNotFound ? Error::kUnsupportedAml : target.error());
  }
  return target.value().path;
}

// `Return (Name)`; the name of the returned object.
Result<AmlName, Error> ReadReturnName(AmlCursor& cursor) {
  if (TRY(cursor.Byte()) != kReturnOp) return Err(Error::kUnsupportedAml);
  auto op = TRY(cursor.Peek());
  if (op == 0 || (op >= 0x60 && op <= 0x6E)) return Err(Error::kUnsupportedAml);  // Local/Arg
  auto name = cursor.Name();
  if (!name.ok()) return Err(Error::kUnsupportedAml);
  return name.value();
}

// Whether predicate P (If's condition) holds in APIC mode; the flag it tests must be `flag`.
Result<bool, Error> PredicateInApicMode(AmlCursor& cursor, const ByteView* aml, uint32_t count,
                                        const AmlPath& scope, const AmlPath& flag) {
  const uint8_t op = TRY(cursor.Peek());
  bool negated = false;
  if (op == kLNotOp) {
    (void)TRY(cursor.Byte());
    negated = true;
  } else if (op == kLEqualOp) {
    (void)TRY(cursor.Byte());
  }
  auto name = cursor.Name();
  if (!name.ok()) return Err(Error::kUnsupportedAml);
  auto tested = ResolveAmlName(aml, count, scope, name.value());
  if (!tested.ok() || !(tested.value().path == flag)) return Err(Error::kUnsupportedAml);
  if (op == kLEqualOp) {
    auto value = cursor.Integer();
    if (!value.ok() || value.value() > 1) return Err(Error::kUnsupportedAml);
    negated = value.value() == 0;
  }
  return !negated;  // the flag is 1 in APIC mode
}

// The Package _PRT returns in APIC mode (see prt.h for the accepted method bodies).
Result<AmlObject, Error> PrtPackage(const ByteView* aml, uint32_t count, const AmlObject& prt) {
  if (prt.kind == AmlObjectKind::kName) return prt;
  if (prt.kind != AmlObjectKind::kMethod || (prt.method_flags & 7) != 0) {
    return Err(Error::kUnsupportedAml);
  }
  AmlCursor cursor(prt.body, 0);
  AmlName chosen;
  if (TRY(cursor.Peek()) == kReturnOp) {
    chosen = TRY(ReadReturnName(cursor));
  } else if (TRY(cursor.Byte()) == kIfOp) {
    const uint64_t if_end = TRY(cursor.PkgEnd());
    const AmlPath flag = TRY(PicModeFlag(aml, count));
    AmlCursor inner(TRY(prt.body.Prefix(if_end)), cursor.position());
    const bool then_in_apic = TRY(PredicateInApicMode(inner, aml, count, prt.path, flag));
    const AmlName then_name = TRY(ReadReturnName(inner));
    if (!inner.AtEnd()) return Err(Error::kUnsupportedAml);
    cursor = AmlCursor(prt.body, if_end);
    AmlName else_name;
    if (TRY(cursor.Peek()) == kElseOp) {
      (void)TRY(cursor.Byte());
      const uint64_t else_end = TRY(cursor.PkgEnd());
      AmlCursor else_cursor(TRY(prt.body.Prefix(else_end)), cursor.position());
      else_name = TRY(ReadReturnName(else_cursor));
      if (!else_cursor.AtEnd()) return Err(Error::kUnsupportedAml);
      cursor = AmlCursor(prt.body, else_end);
    } else {
      else_name = TRY(ReadReturnName(cursor));
    }
    chosen = then_in_apic ? then_name : else_name;
  } else {
    return Err(Error::kUnsupportedAml);
  }
  if (!cursor.AtEnd()) return Err(Error::kUnsupportedAml);
  auto package = ResolveAmlName(aml, count, prt.path, chosen);
  if (!package.ok()) {
    return Err(package.error() == Error::kNotFound ? Error::kUnsupportedAml : package.error());
  }
  if (package.value().kind != AmlObjectKind::kName) return Err(Error::kUnsupportedAml);
  return package.value();
}

// The `index`-th Extended Interrupt descriptor in a resource template Buffer.
Result<PciIntxRoute, Error> ExtendedInterrupt(ByteView buffer_object, uint64_t index) {
  AmlCursor cursor(buffer_object, 0);
  if (TRY(cursor.Byte()) != kBufferOp) return Err(Error::kUnsupportedAml);
  const uint64_t end = TRY(cursor.PkgEnd());
  const uint64_t size = TRY(cursor.Integer());
  const uint64_t start = cursor.position();
  // A BufferSize beyond the initializer pads with zeroes; only the initializer holds data.
  const ByteView resources = TRY(buffer_object.Sub(start, size < end - start ? size : end - start));
  uint64_t at = 0;
  uint64_t seen = 0;
  while (at < resources.size()) {
    const uint8_t tag = TRY(resources.U8(at));
    if (tag == kSmallEndTag) break;
    if ((tag & 0x80) == 0) {  // small item: length in bits 0-2
      at += 1 + (tag & 7);
      continue;
    }
    const uint16_t length = TRY(resources.U16(at + 1));
    const ByteView item = TRY(resources.Sub(at + 3, length));
    if (tag == kExtendedInterruptTag) {
      if (length < 6) return Err(Error::kBadEntry);
      if (seen++ == index) {
        const uint8_t flags = TRY(item.U8(0));
        const uint8_t interrupts = TRY(item.U8(1));
        if (interrupts == 0 || length < 2 + 4u * interrupts) return Err(Error::kBadEntry);
        PciIntxRoute route;
        route.gsi = TRY(item.U32(2));
        route.level = (flags & kIntEdge) == 0;
        route.active_low = (flags & kIntActiveLow) != 0;
        route.shared = (flags & kIntShared) != 0;
        return route;
      }
    }
    at += 3 + uint64_t{length};
  }
  return Err(Error::kUnsupportedAml);
}

bool SameName(const AmlName& a, const AmlName& b) {
  if (a.rooted != b.rooted || a.parents != b.parents || a.count != b.count) return false;
  for (uint32_t i = 0; i < a.count; ++i) {
    if (a.segs[i] != b.segs[i]) return false;
  }
  return true;
}

// Sources already resolved, by their name as written (all entries share one scope; q35: 8
// names for 128 entries), so each link device costs its namespace walks once.
struct LinkCache {
  static constexpr uint32_t kSize = 16;
  AmlName names[kSize];
  uint64_t indexes[kSize] = {};
  PciIntxRoute routes[kSize];
  uint32_t count = 0;
};

Result<PciIntxRoute, Error> LinkRoute(const ByteView* aml, uint32_t count, const AmlPath& scope,
                                      const AmlName& source, uint64_t index, LinkCache& cache) {
  for (uint32_t i = 0; i < cache.count; ++i) {
    if (SameName(cache.names[i], source) && cache.indexes[i] == index) return cache.routes[i];
  }
  auto link = ResolveAmlName(aml, count, scope, source);
  if (!link.ok()) {
    return Err(link.error() == Error::kNotFound ? Error::kBadEntry : link.error());
  }
  const AmlPath& path = link.value().path;
  if (!TRY(DeviceHasId(aml, count, path, kPnp0c0f))) return Err(Error::kBadEntry);
  auto crs = FindAmlObject(aml, count, TRY(path.Child(AmlSeg("_CRS"))));
  if (!crs.ok()) {
    return Err(crs.error() == Error::kNotFound ? Error::kUnsupportedAml : crs.error());
  }
  if (crs.value().kind != AmlObjectKind::kName) return Err(Error::kUnsupportedAml);
  const PciIntxRoute route = TRY(ExtendedInterrupt(crs.value().body, index));
  if (cache.count < LinkCache::kSize) {
    cache.names[cache.count] = source;
    cache.indexes[cache.count] = index;
    cache.routes[cache.count] = route;
    ++cache.count;
  }
  return route;
}

// Decodes the Package of _PRT entries.
Result<void, Error> DecodeEntries(const ByteView* aml, uint32_t count, const AmlObject& package,
                                  PciRouting& routing) {
  AmlCursor cursor(package.body, 0);
  if (TRY(cursor.Byte()) != kPackageOp) return Err(Error::kUnsupportedAml);
  const uint64_t end = TRY(cursor.PkgEnd());
  const uint8_t elements = TRY(cursor.Byte());
  const AmlPath scope = package.path.Parent();
  LinkCache cache;
  for (uint32_t i = 0; i < elements && cursor.position() < end; ++i) {
    if (TRY(cursor.Byte()) != kPackageOp) return Err(Error::kUnsupportedAml);
    const uint64_t entry_end = TRY(cursor.PkgEnd());
    AmlCursor entry(TRY(package.body.Prefix(entry_end)), cursor.position());
    if (TRY(entry.Byte()) < 4) return Err(Error::kBadEntry);
    const uint64_t address = TRY(entry.Integer());
    const uint64_t pin = TRY(entry.Integer());
    const uint8_t source_op = TRY(entry.Peek());
    AmlName source;
    if (source_op == 0) {
      (void)TRY(entry.Byte());
    } else {
      auto name = entry.Name();
      if (!name.ok()) return Err(Error::kUnsupportedAml);
      source = name.value();
    }
    const uint64_t source_index = TRY(entry.Integer());
    const uint64_t device = address >> 16;
    if ((address & 0xFFFF) != 0xFFFF || device > 31 || pin > 3) return Err(Error::kBadEntry);
    PciIntxRoute route;
    if (source.count == 0) {
      if (source_index > 0xFFFFFFFF) return Err(Error::kBadEntry);
      route.gsi = static_cast<uint32_t>(source_index);  // level, active low, shared (§6.2.13)
    } else {
      route = TRY(LinkRoute(aml, count, scope, source, source_index, cache));
    }
    route.device = static_cast<uint8_t>(device);
    route.pin = static_cast<uint8_t>(pin);
    if (routing.count >= kMaxPrtEntries) return Err(Error::kTooManyEntries);
    routing.routes[routing.count++] = route;
    cursor = AmlCursor(package.body, entry_end);
  }
  return Ok<Error>();
}

}  // namespace

Result<PciRouting, Error> DecodePciRouting(const ByteView* aml, uint32_t aml_count) {
  RootSearch search;
  (void)TRY(WalkAml(aml, aml_count, &FindRootBridgeId, &search));
  if (!search.ok) return Err(Error::kNotFound);
  PciRouting routing;
  routing.root_bridge = search.found;
  auto prt = FindAmlObject(aml, aml_count, TRY(routing.root_bridge.Child(AmlSeg("_PRT"))));
  if (!prt.ok()) return Err(prt.error());
  const AmlObject package = TRY(PrtPackage(aml, aml_count, prt.value()));
  TRY(DecodeEntries(aml, aml_count, package, routing));
  return routing;
}

Result<PciRouting, Error> ReadPciRouting(const PhysReader& reader, const RootTable& root,
                                         const Options& options) {
  const Table facp = TRY(root.FindTable(reader, "FACP", 0, options));
  const Fadt fadt = TRY(ParseFadt(facp));
  const Signature dsdt_signature("DSDT");
  ByteView aml[1 + kMaxSsdts];
  uint32_t count = 0;
  const Table dsdt = TRY(LoadTable(reader, fadt.dsdt_address, &dsdt_signature, options));
  aml[count++] = TRY(dsdt.bytes.Sub(kSdtHeaderSize, dsdt.bytes.size() - kSdtHeaderSize));
  for (uint32_t i = 0; i < kMaxSsdts; ++i) {
    auto ssdt = root.FindTable(reader, "SSDT", i, options);
    if (!ssdt.ok()) {
      if (ssdt.error() == Error::kNotFound) break;
      return Err(ssdt.error());
    }
    const ByteView bytes = ssdt.value().bytes;
    aml[count++] = TRY(bytes.Sub(kSdtHeaderSize, bytes.size() - kSdtHeaderSize));
  }
  return DecodePciRouting(aml, count);
}

Result<PciIntxRoute, Error> RoutePciInterrupt(const PciRouting& routing, const uint8_t* path,
                                              uint32_t depth, uint8_t pin) {
  if (depth == 0 || pin > 3) return Err(Error::kBadEntry);
  for (uint32_t i = depth - 1; i > 0; --i) pin = static_cast<uint8_t>((pin + path[i]) % 4);
  for (uint32_t i = 0; i < routing.count; ++i) {
    if (routing.routes[i].device == path[0] && routing.routes[i].pin == pin) {
      return routing.routes[i];
    }
  }
  return Err(Error::kNotFound);
}

}  // namespace hiillos::acpi
