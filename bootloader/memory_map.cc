// bootloader/memory_map.cc — the BootInfo memory map builder (boundary sweep over all inputs).
#include "bootloader/memory_map.h"

#include "lib/base/checked.h"

namespace hiillos::loader {
namespace {

using uapi::MemoryKind;

constexpr uint64_t kPage = 4096;
constexpr uint64_t kLastPage = ~(kPage - 1);  // ends that would overflow are clamped here

int Priority(MemoryKind kind) {
  switch (kind) {
    case MemoryKind::kUsable:
      return 0;
    case MemoryKind::kLoaderReclaimable:
      return 1;
    case MemoryKind::kAcpiReclaimable:
      return 2;
    case MemoryKind::kMmio:
      return 3;
    case MemoryKind::kAcpiNvs:
      return 4;
    case MemoryKind::kReserved:
      return 5;
    case MemoryKind::kUnusable:
      return 6;
    case MemoryKind::kFramebuffer:
      return 7;
    case MemoryKind::kBootData:
      return 8;
    case MemoryKind::kModule:
      return 9;
    case MemoryKind::kKernel:
      return 10;
  }
  return 5;  // out-of-range values are treated as reserved
}

struct PageRange {
  uint64_t begin;
  uint64_t end;
};

PageRange Round(const RangeInput& input) {
  uint64_t begin = AlignDown(input.base, kPage);
  uint64_t end = 0;
  if (!CheckedAdd(input.base, input.size, &end) || !AlignUp(end, kPage, &end)) end = kLastPage;
  if (begin > kLastPage) begin = kLastPage;
  return {begin, end};
}

void Sort(uint64_t* values, size_t count) {
  // Insertion sort: firmware maps come nearly sorted and hold a few hundred entries.
  for (size_t i = 1; i < count; ++i) {
    uint64_t value = values[i];
    size_t j = i;
    for (; j > 0 && values[j - 1] > value; --j) values[j] = values[j - 1];
    values[j] = value;
  }
}

}  // namespace

MemoryKind KindFromUefiType(uint32_t type) {
  switch (type) {
    case 1:  // EfiLoaderCode
    case 2:  // EfiLoaderData
    case 3:  // EfiBootServicesCode
    case 4:  // EfiBootServicesData
      return MemoryKind::kLoaderReclaimable;
    case 7:  // EfiConventionalMemory
      return MemoryKind::kUsable;
    case 8:   // EfiUnusableMemory
    case 15:  // EfiUnacceptedMemoryType (must be accepted before use; we do not)
      return MemoryKind::kUnusable;
    case 9:  // EfiACPIReclaimMemory
      return MemoryKind::kAcpiReclaimable;
    case 10:  // EfiACPIMemoryNVS
      return MemoryKind::kAcpiNvs;
    case 11:  // EfiMemoryMappedIO
    case 12:  // EfiMemoryMappedIOPortSpace
      return MemoryKind::kMmio;
    default:  // 0 reserved, 5/6 runtime services, 13 PAL code, 14 persistent, OEM/OS ranges
      return MemoryKind::kReserved;
  }
}

const char* MemoryMapErrorString(MemoryMapError error) {
  switch (error) {
    case MemoryMapError::kScratchTooSmall:
      return "memory map scratch space too small";
    case MemoryMapError::kTooManyRanges:
      return "memory map has too many ranges for BootInfo";
  }
  return "unknown memory map error";
}

Result<uint32_t, MemoryMapError> BuildMemoryMap(const RangeInput* inputs, size_t input_count,
                                                uint64_t* scratch, size_t scratch_count,
                                                uapi::MemoryRange* out, size_t out_capacity) {
  if (scratch_count / 2 < input_count) return Err(MemoryMapError::kScratchTooSmall);
  size_t bounds = 0;
  for (size_t i = 0; i < input_count; ++i) {
    PageRange r = Round(inputs[i]);
    if (r.begin >= r.end) continue;
    scratch[bounds++] = r.begin;
    scratch[bounds++] = r.end;
  }
  Sort(scratch, bounds);
  size_t unique = 0;
  for (size_t i = 0; i < bounds; ++i) {
    if (unique == 0 || scratch[unique - 1] != scratch[i]) scratch[unique++] = scratch[i];
  }

  uint32_t count = 0;
  for (size_t b = 0; b + 1 < unique; ++b) {
    const uint64_t begin = scratch[b];
    const uint64_t end = scratch[b + 1];
    int best = -1;
    MemoryKind kind = MemoryKind::kReserved;
    for (size_t i = 0; i < input_count; ++i) {
      PageRange r = Round(inputs[i]);
      // Every input's ends are boundaries, so an input touching [begin, end) covers all of it.
      if (r.begin <= begin && end <= r.end && Priority(inputs[i].kind) > best) {
        best = Priority(inputs[i].kind);
        kind = inputs[i].kind;
      }
    }
    if (best < 0) continue;  // a hole in the map
    if (count > 0 && out[count - 1].kind == kind &&
        out[count - 1].base + out[count - 1].size == begin) {
      out[count - 1].size += end - begin;
      continue;
    }
    if (count == out_capacity) return Err(MemoryMapError::kTooManyRanges);
    out[count++] = uapi::MemoryRange{begin, end - begin, kind, 0};
  }
  return count;
}

}  // namespace hiillos::loader
