// kernel/user/load_plan.cc — PlanLoad: greedy power-of-two frames per segment.
#include "kernel/user/load_plan.h"

#include "kernel/result/kresult.h"
#include "kernel/user/layout.h"
#include "lib/base/checked.h"
#include "lib/base/utility.h"
#include "uapi/syscalls.h"

namespace hiillos::user {
namespace {

// The largest order whose frame fits in `pages` (pages > 0).
unsigned LargestOrderFor(uint64_t pages) {
  unsigned order = 0;
  while (order < kMaxLoadChunkOrder && (2ull << order) <= pages) ++order;
  return order;
}

}  // namespace

uint64_t SegmentMapFlags(const elf::Segment& segment) {
  uint64_t flags = uapi::kMapRead;
  if (segment.writable()) flags |= uapi::kMapWrite;
  if (segment.executable()) flags |= uapi::kMapExecute;
  return flags;
}

KResult<LoadPlan> PlanLoad(const elf::Segment* segments, size_t count) {
  LoadPlan plan;
  for (size_t s = 0; s < count; ++s) {
    const elf::Segment& segment = segments[s];
    uint64_t end = 0;
    uint64_t file_end = 0;
    if (segment.writable() && segment.executable()) return Err(uapi::Status::kInvalidArgument);
    if (segment.filesz > segment.memsz || !CheckedAdd(segment.vaddr, segment.memsz, &end) ||
        !CheckedAdd(segment.offset, segment.filesz, &file_end)) {
      return Err(uapi::Status::kInvalidArgument);
    }
    const uint64_t first = AlignDown(segment.vaddr, kPageSize);
    uint64_t last = 0;
    if (!AlignUp(end, kPageSize, &last) || !IsUserRange(first, last - first)) {
      return Err(uapi::Status::kInvalidArgument);
    }
    const uint64_t data_end = segment.vaddr + segment.filesz;  // file bytes end here
    for (uint64_t at = first; at < last;) {
      if (plan.count == kMaxLoadChunks) return Err(uapi::Status::kOutOfMemory);
      const unsigned order = LargestOrderFor((last - at) / kPageSize);
      const uint64_t size = kPageSize << order;
      LoadChunk& chunk = plan.chunks[plan.count++];
      chunk = LoadChunk{at, order, SegmentMapFlags(segment), 0, 0, 0};
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

}  // namespace hiillos::user
