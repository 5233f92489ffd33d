// lib/ksyms/ksyms_fuzzer.cc — the symbol-table reader must stay in bounds on any bytes.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/ksyms/ksyms.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hiillos::ksyms;
  auto table = Table::Parse(data, size);
  if (!table.ok()) return 0;
  // Probe a few addresses derived from the input, and every entry up to a limit.
  uint64_t probes[4] = {0, ~0ull, 0, 0};
  if (size >= 48) memcpy(&probes[2], data + size - 16, 16);
  for (uint64_t address : probes) {
    auto hit = table.value().Lookup(address);
    if (hit.ok()) (void)strlen(hit.value().name);
  }
  uint32_t limit = table.value().count() < 64 ? table.value().count() : 64;
  for (uint32_t i = 0; i < limit; ++i) {
    auto symbol = table.value().At(i);
    if (!symbol.ok()) continue;
    (void)strlen(symbol.value().name);
    auto hit = table.value().Lookup(symbol.value().address);
    if (hit.ok()) (void)strlen(hit.value().name);
  }
  return 0;
}
