// kernel/mm/memory_map_fuzzer.cc — libFuzzer target: arbitrary memory maps into UsableRanges.
//
// Checks the output contract on every input: sorted, page aligned, non-touching ranges, each
// inside one allowed entry, none touching an entry of another kind or an exclusion.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <vector>

#include "kernel/mm/memory_map.h"

namespace {

using hiillos::mm::PhysRange;
using hiillos::uapi::MemoryKind;
using hiillos::uapi::MemoryRange;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

bool Overlaps(uint64_t a_lo, uint64_t a_hi, uint64_t b_base, uint64_t b_size) {
  uint64_t b_hi = b_base + b_size < b_base ? ~0ull : b_base + b_size;
  return a_lo < b_hi && b_base < a_hi;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t flags = data[0];
  data += 1;
  size -= 1;
  std::vector<MemoryRange> map(size / sizeof(MemoryRange));
  if (!map.empty()) memcpy(map.data(), data, map.size() * sizeof(MemoryRange));
  // Small kinds are more interesting than 32-bit garbage, but keep some garbage.
  for (MemoryRange& e : map) {
    if (flags & 0x80) e.kind = static_cast<MemoryKind>(static_cast<uint32_t>(e.kind) % 13);
  }
  PhysRange exclude[1] = {};
  hiillos::mm::UsableRangeOptions options;
  options.include_loader_reclaimable = flags & 1;
  options.include_acpi_reclaimable = flags & 2;
  if (!map.empty() && (flags & 4)) {
    exclude[0] = {map[0].base ^ 0x5000, map[0].size >> 3};
    options.exclude = exclude;
    options.exclude_count = 1;
  }
  auto allowed = [&](MemoryKind kind) {
    return kind == MemoryKind::kUsable ||
           (options.include_loader_reclaimable && kind == MemoryKind::kLoaderReclaimable) ||
           (options.include_acpi_reclaimable && kind == MemoryKind::kAcpiReclaimable);
  };

  PhysRange out[64];
  auto n = hiillos::mm::UsableRanges(map.data(), map.size(), options, out, 64);
  if (!n.ok()) {
    Check(n.error() == hiillos::mm::Error::kTooManyRanges);
    return 0;
  }
  for (size_t i = 0; i < n.value(); ++i) {
    const PhysRange& r = out[i];
    Check(r.size != 0 && r.base % 0x1000 == 0 && r.size % 0x1000 == 0);
    Check(r.base + r.size > r.base);
    if (i > 0) Check(r.base > out[i - 1].end());
    for (const MemoryRange& e : map) {
      if (e.size != 0 && !allowed(e.kind)) Check(!Overlaps(r.base, r.end(), e.base, e.size));
    }
    if (options.exclude_count && exclude[0].size) {
      Check(!Overlaps(r.base, r.end(), exclude[0].base, exclude[0].size));
    }
    // The first and last page each lie inside one allowed entry.
    for (uint64_t page : {r.base, r.end() - 0x1000}) {
      bool inside = false;
      for (const MemoryRange& e : map) {
        uint64_t end = e.base + e.size < e.base ? ~0ull : e.base + e.size;
        inside = inside || (allowed(e.kind) && e.base <= page && page + 0x1000 <= end);
      }
      Check(inside);
    }
  }
  return 0;
}
