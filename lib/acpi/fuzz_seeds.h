// lib/acpi/fuzz_seeds.h — test-only seed images for the ACPI fuzzer (RSDP at offset 0).
#pragma once

#include <vector>

#include "lib/acpi/test_tables.h"

namespace hiillos::acpi::testing {

// The q35-like image with the RSDP moved to 0, an RSDT-only variant and an x2APIC variant.
std::vector<Bytes> FuzzSeeds();

}  // namespace hiillos::acpi::testing
