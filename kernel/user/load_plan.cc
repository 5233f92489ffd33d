// kernel/user/load_plan.cc — PlanLoad: elf::PlanSegments within user space, as map flags.
#include "kernel/user/load_plan.h"

#include "kernel/result/kresult.h"
#include "kernel/user/layout.h"
#include "lib/elf/load_plan.h"
#include "uapi/syscalls.h"

namespace hiillos::user {

uint64_t SegmentMapFlags(const elf::Segment& segment) {
  uint64_t flags = uapi::kMapRead;
  if (segment.writable()) flags |= uapi::kMapWrite;
  if (segment.executable()) flags |= uapi::kMapExecute;
  return flags;
}

KResult<void> PlanLoadInto(const elf::Segment* segments, size_t count, LoadPlan& plan) {
  // User space as the kernel maps it: never the null page, never the last page below the hole.
  constexpr elf::Policy kUserSpace{kUserBase, kUserEnd - 1, false};
  auto planned = elf::PlanSegments(segments, count, ~uint64_t{0}, kUserSpace);
  if (!planned.ok()) {
    return Err(planned.error() == elf::Error::kTooManyChunks ? uapi::Status::kOutOfMemory
                                                             : uapi::Status::kInvalidArgument);
  }
  plan.count = 0;
  for (size_t i = 0; i < planned.value().count; ++i) {
    const elf::LoadChunk& chunk = planned.value().chunks[i];
    elf::Segment as_segment{};
    as_segment.flags = chunk.flags;
    plan.chunks[plan.count++] =
        LoadChunk{chunk.vaddr,       chunk.order,       SegmentMapFlags(as_segment),
                  chunk.copy_offset, chunk.file_offset, chunk.copy_size};
  }
  return Ok();
}

KResult<LoadPlan> PlanLoad(const elf::Segment* segments, size_t count) {
  LoadPlan plan;
  TRY(PlanLoadInto(segments, count, plan));
  return plan;
}

}  // namespace hiillos::user
