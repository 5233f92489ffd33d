// lib/elf/load_plan.cc — PlanLoad: greedy power-of-two frames per segment, bounds re-checked.
#include "lib/elf/load_plan.h"

#include "lib/base/checked.h"
#include "lib/base/utility.h"

namespace hiillos::elf {
namespace {

// The largest order whose frame fits in `pages` (pages > 0).
unsigned LargestOrderFor(uint64_t pages) {
  unsigned order = 0;
  while (order < kMaxLoadChunkOrder && (2ull << order) <= pages) ++order;
  return order;
}

Result<void, Error> CheckSegment(const Segment& segment, uint64_t file_size, const Policy& policy,
                                 uint64_t* first, uint64_t* last) {
  if (segment.writable() && segment.executable()) return Err(Error::kWriteAndExecute);
  if (segment.filesz > segment.memsz) return Err(Error::kFileSizeExceedsMemorySize);
  uint64_t file_end = 0;
  if (!CheckedAdd(segment.offset, segment.filesz, &file_end) || file_end > file_size) {
    return Err(Error::kSegmentOutOfBounds);
  }
  uint64_t end = 0;
  if (segment.memsz == 0 || !CheckedAdd(segment.vaddr, segment.memsz, &end) ||
      !AlignUp(end, kPageSize, last)) {
    return Err(Error::kAddressOverflow);
  }
  *first = AlignDown(segment.vaddr, kPageSize);
  if (*first < policy.min_vaddr || *last - 1 > policy.max_vaddr) {
    return Err(Error::kAddressOutOfRange);
  }
  return Ok<Error>();
}

}  // namespace

Result<LoadPlan, Error> PlanLoad(const Image& image, uint64_t file_size, const Policy& policy) {
  LoadPlan plan = TRY(PlanSegments(image.begin(), image.segment_count(), file_size, policy));
  plan.entry = image.entry();
  return plan;
}

Result<LoadPlan, Error> PlanSegments(const Segment* segments, size_t count, uint64_t file_size,
                                     const Policy& policy) {
  LoadPlan plan;
  for (size_t s = 0; s < count; ++s) {
    const Segment& segment = segments[s];
    uint64_t first = 0;
    uint64_t last = 0;
    TRY(CheckSegment(segment, file_size, policy, &first, &last));
    for (size_t i = 0; i < plan.count; ++i) {
      const LoadChunk& other = plan.chunks[i];
      if (first < other.vaddr + other.size() && other.vaddr < last) {
        return Err(Error::kOverlappingSegments);
      }
    }
    const uint64_t data_end = segment.vaddr + segment.filesz;  // file bytes end here
    for (uint64_t at = first; at < last;) {
      if (plan.count == kMaxLoadChunks) return Err(Error::kTooManyChunks);
      const unsigned order = LargestOrderFor((last - at) / kPageSize);
      const uint64_t size = kPageSize << order;
      LoadChunk& chunk = plan.chunks[plan.count++];
      chunk =
          LoadChunk{at, order, segment.flags & (kFlagRead | kFlagWrite | kFlagExecute), 0, 0, 0};
      // The file bytes inside [at, at + size): [max(at, vaddr), min(at + size, data_end)).
      const uint64_t copy_start = Max(at, segment.vaddr);
      const uint64_t copy_end = Min(at + size, data_end);
      if (copy_start < copy_end) {
        chunk.copy_offset = copy_start - at;
        chunk.file_offset = segment.offset + (copy_start - segment.vaddr);
        chunk.copy_size = copy_end - copy_start;
      }
      at += size;
    }
  }
  return plan;
}

}  // namespace hiillos::elf
