// kernel/user/load_plan.h — PlanLoad: turns validated ELF segments into frames to allocate,
// fill and map (power-of-two frames covering each segment's pages, W^X map flags, the bytes to
// copy from the file into each frame). The planning is lib/elf's (elf::PlanSegments, shared with
// the user-space loader); this adds user space's bounds, map flags and kernel status codes.
// Pure, host-tested; used for the root process.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/result/kresult.h"
#include "lib/base/result.h"
#include "lib/elf/image.h"
#include "lib/elf/load_plan.h"
#include "uapi/status.h"

namespace hiillos::user {

// One frame of 0x1000 << order bytes mapped at `vaddr` with uapi::MapFlags `flags`; bytes
// [file_offset, file_offset + copy_size) of the file go to offset `copy_offset` in the frame,
// the rest of the frame stays zero.
struct LoadChunk {
  uint64_t vaddr;
  unsigned order;
  uint64_t flags;
  uint64_t copy_offset;
  uint64_t file_offset;
  uint64_t copy_size;
};

inline constexpr size_t kMaxLoadChunks = elf::kMaxLoadChunks;
// The largest frame a chunk uses (2 MiB; larger segments take several chunks).
inline constexpr unsigned kMaxLoadChunkOrder = elf::kMaxLoadChunkOrder;

struct LoadPlan {
  LoadChunk chunks[kMaxLoadChunks];
  size_t count = 0;
};

// Map flags for a segment: read always (x86 cannot map execute- or write-only), plus write or
// execute (the validator guarantees not both).
uint64_t SegmentMapFlags(const elf::Segment& segment);

// Errors: kInvalidArgument (a segment outside user space, both writable and executable, or
// file bytes beyond its memory size: what the validator rules out), kOutOfMemory (more than
// kMaxLoadChunks chunks).
// As PlanLoad, into `plan` (3 KiB: callers on a kernel stack keep it off the stack).
KResult<void> PlanLoadInto(const elf::Segment* segments, size_t count, LoadPlan& plan);
KResult<LoadPlan> PlanLoad(const elf::Segment* segments, size_t count);

}  // namespace hiillos::user
