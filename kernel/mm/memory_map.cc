// kernel/mm/memory_map.cc — usable-range extraction from the boot memory map.
#include "kernel/mm/memory_map.h"

#include "lib/base/checked.h"
#include "lib/base/utility.h"

namespace hiillos::mm {
namespace {

using uapi::MemoryKind;

// Exclusive ends saturate here: the last page can never be handed out.
constexpr uint64_t kTopOfMemory = ~(kPageSize - 1);

// [lo, hi) page-aligned: grown outward for ranges to avoid.
struct Span {
  uint64_t lo;
  uint64_t hi;
};

Span GrowToPages(uint64_t base, uint64_t size) {
  uint64_t end = 0;
  if (!CheckedAdd(base, size, &end) || !AlignUp(end, kPageSize, &end)) end = kTopOfMemory;
  return {AlignDown(base, kPageSize), Min(end, kTopOfMemory)};
}

bool KindAllowed(MemoryKind kind, const UsableRangeOptions& options) {
  switch (kind) {
    case MemoryKind::kUsable:
      return true;
    case MemoryKind::kLoaderReclaimable:
      return options.include_loader_reclaimable;
    case MemoryKind::kAcpiReclaimable:
      return options.include_acpi_reclaimable;
    default:
      return false;
  }
}

// Everything the usable pages must avoid: map entries of other kinds plus extra ranges.
struct Avoid {
  const uapi::MemoryRange* map;
  size_t map_count;
  const UsableRangeOptions* options;
  const PhysRange* extra[2];
  size_t extra_count[2];

  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0; i < map_count; ++i) {
      if (map[i].size != 0 && !KindAllowed(map[i].kind, *options))
        fn(GrowToPages(map[i].base, map[i].size));
    }
    for (int list = 0; list < 2; ++list) {
      for (size_t i = 0; i < extra_count[list]; ++i) {
        if (extra[list][i].size != 0) fn(GrowToPages(extra[list][i].base, extra[list][i].size));
      }
    }
  }
};

// Adds [lo, hi) to the sorted, merged out[0, *n), merging with ranges it overlaps or touches.
Result<void, Error> InsertMerged(uint64_t lo, uint64_t hi, PhysRange* out, size_t* n,
                                 size_t capacity) {
  size_t first = 0;
  while (first < *n && out[first].end() < lo) ++first;
  size_t last = first;  // one past the ranges to merge
  while (last < *n && out[last].base <= hi) {
    lo = Min(lo, out[last].base);
    hi = Max(hi, out[last].end());
    ++last;
  }
  if (last == first) {
    if (*n == capacity) return Err{Error::kTooManyRanges};
    for (size_t i = *n; i > first; --i) out[i] = out[i - 1];
    ++*n;
  } else {
    size_t removed = last - first - 1;
    for (size_t i = first + 1; i + removed < *n; ++i) out[i] = out[i + removed];
    *n -= removed;
  }
  out[first] = {lo, hi - lo};
  return Ok<Error>();
}

Result<size_t, Error> Collect(const Avoid& avoid, PhysRange* out, size_t capacity) {
  size_t n = 0;
  for (size_t i = 0; i < avoid.map_count; ++i) {
    const uapi::MemoryRange& entry = avoid.map[i];
    if (entry.size == 0 || !KindAllowed(entry.kind, *avoid.options)) continue;
    uint64_t lo = 0;
    uint64_t end = 0;
    if (!AlignUp(entry.base, kPageSize, &lo)) continue;
    if (!CheckedAdd(entry.base, entry.size, &end)) end = ~0ull;
    uint64_t hi = Min(AlignDown(end, kPageSize), kTopOfMemory);
    uint64_t cursor = lo;
    while (cursor < hi) {
      // Step over every avoided span covering the cursor (they may chain and overlap).
      for (bool moved = true; moved;) {
        moved = false;
        avoid.ForEach([&](Span s) {
          if (s.lo <= cursor && cursor < s.hi) {
            cursor = s.hi;
            moved = true;
          }
        });
      }
      if (cursor >= hi) break;
      uint64_t next = hi;
      avoid.ForEach([&](Span s) {
        if (s.lo > cursor && s.lo < next) next = s.lo;
      });
      TRY(InsertMerged(cursor, next, out, &n, capacity));
      cursor = next;
    }
  }
  return n;
}

}  // namespace

Result<size_t, Error> UsableRanges(const uapi::MemoryRange* map, size_t count,
                                   const UsableRangeOptions& options, PhysRange* out,
                                   size_t capacity) {
  Avoid avoid = {map,
                 count,
                 &options,
                 {options.exclude, nullptr},
                 {options.exclude == nullptr ? 0 : options.exclude_count, 0}};
  return Collect(avoid, out, capacity);
}

Result<size_t, Error> UsableRanges(const uapi::BootInfo& info, const UsableRangeOptions& options,
                                   PhysRange* out, size_t capacity) {
  if (info.magic != uapi::kBootInfoMagic || info.version != uapi::kBootInfoVersion ||
      info.size != sizeof(uapi::BootInfo) || info.memory_range_count > uapi::kMaxMemoryRanges ||
      info.module_count > uapi::kMaxModules) {
    return Err{Error::kBadBootInfo};
  }
  // What BootInfo itself says is in use, whatever the map claims.
  PhysRange in_use[3 + uapi::kMaxModules] = {};
  size_t n = 0;
  in_use[n++] = {info.kernel_phys_base, info.kernel_phys_size};
  in_use[n++] = {info.page_table_root, info.page_table_root == 0 ? 0 : kPageSize};
  in_use[n++] = {info.framebuffer.base, info.framebuffer.size};
  for (uint32_t i = 0; i < info.module_count; ++i) {
    in_use[n++] = {info.modules[i].base, info.modules[i].size};
  }
  Avoid avoid = {info.memory_map,
                 info.memory_range_count,
                 &options,
                 {options.exclude, in_use},
                 {options.exclude == nullptr ? 0 : options.exclude_count, n}};
  return Collect(avoid, out, capacity);
}

Result<uint64_t, Error> CarveFromRanges(PhysRange* ranges, size_t count, uint64_t bytes) {
  if (bytes == 0) return Err{Error::kBadRange};
  uint64_t rounded = 0;
  if (!AlignUp(bytes, kPageSize, &rounded)) return Err{Error::kOutOfMemory};
  PhysRange* best = nullptr;
  for (size_t i = 0; i < count; ++i) {
    if (ranges[i].size >= rounded && (best == nullptr || ranges[i].base > best->base)) {
      best = &ranges[i];
    }
  }
  if (best == nullptr) return Err{Error::kOutOfMemory};
  best->size -= rounded;
  return best->base + best->size;
}

}  // namespace hiillos::mm
