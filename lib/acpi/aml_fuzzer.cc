// lib/acpi/aml_fuzzer.cc — libFuzzer target for the AML reader and the _PRT decoder.
//
// The input is a definition block: a table with a "DSDT"/"SSDT" header (the header is skipped;
// the checksum is not checked, so the mutator reaches the AML) or bare AML. The input is also
// split in two at its first byte's position to exercise lookups across several tables.
#include <stddef.h>
#include <stdint.h>

#include "lib/acpi/prt.h"
#include "lib/acpi/sdt.h"

namespace hiillos::acpi {
namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

bool CountObjects(void* context, const AmlObject& object) {
  Check(object.path.count <= kMaxAmlDepth);
  ++*static_cast<uint64_t*>(context);
  return false;
}

void FuzzOne(const uint8_t* data, size_t size) {
  ByteView aml(data, size);
  if (aml.Equals(0, "DSDT", 4) || aml.Equals(0, "SSDT", 4)) {
    if (size < kSdtHeaderSize) return;
    aml = aml.Sub(kSdtHeaderSize, size - kSdtHeaderSize).value();
  }
  uint64_t objects = 0;
  auto walk = WalkAml(&aml, 1, &CountObjects, &objects);
  if (walk.ok()) Check(objects <= aml.size());  // every object takes at least one byte
  auto routing = DecodePciRouting(&aml, 1);
  if (routing.ok()) {
    Check(routing.value().count <= kMaxPrtEntries);
    for (uint32_t i = 0; i < routing.value().count; ++i) {
      const PciIntxRoute& route = routing.value().routes[i];
      Check(route.device <= 31 && route.pin <= 3);
      const uint8_t path[] = {route.device};
      Check(RoutePciInterrupt(routing.value(), path, 1, route.pin).ok());
    }
  }
  if (aml.size() > 0) {
    const uint64_t cut = aml.U8(0).value() % aml.size();
    const ByteView parts[] = {aml.Prefix(cut).value(), aml.Sub(cut, aml.size() - cut).value()};
    (void)DecodePciRouting(parts, 2).ok();
  }
}

}  // namespace
}  // namespace hiillos::acpi

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hiillos::acpi::FuzzOne(data, size);
  return 0;
}
