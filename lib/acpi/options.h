// lib/acpi/options.h — knobs shared by every ACPI parser.
#pragma once

namespace hiillos::acpi {

struct Options {
  // Reject structures whose checksum is wrong (the default). Turning this off mirrors what some
  // OSes do with buggy firmware, and lets the fuzzer reach the parsers behind the checksums;
  // every length and bound is still checked either way.
  bool verify_checksums = true;
};

}  // namespace hiillos::acpi
