// lib/elf/load_plan.h — PlanLoad: turns a validated image into the frames a loader allocates,
// fills and maps (power-of-two frames covering each segment's pages, the segment's permissions,
// the file bytes to copy into each frame). Pure logic, host-tested; used by the user-space
// loader (services/lib/loader.h) and the kernel's root-process loader (kernel/user/load_plan.h).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/elf/error.h"
#include "lib/elf/image.h"

namespace hiillos::elf {

// One frame of 0x1000 << order bytes mapped at `vaddr` with the segment's `flags` (kFlagRead |
// kFlagWrite | kFlagExecute); file bytes [file_offset, file_offset + copy_size) go to offset
// `copy_offset` in the frame, the rest of the frame stays zero.
struct LoadChunk {
  uint64_t vaddr;
  unsigned order;
  uint32_t flags;
  uint64_t copy_offset;
  uint64_t file_offset;
  uint64_t copy_size;

  uint64_t size() const { return kPageSize << order; }
};

inline constexpr size_t kMaxLoadChunks = 64;
// The largest frame a chunk uses (2 MiB; larger segments take several chunks).
inline constexpr unsigned kMaxLoadChunkOrder = 9;

struct LoadPlan {
  LoadChunk chunks[kMaxLoadChunks];
  size_t count = 0;
  uint64_t entry = 0;
};

// Plans `image` (from Parse over a file of `file_size` bytes with `policy`). It re-checks what
// it relies on rather than trusting its caller: errors kWriteAndExecute,
// kFileSizeExceedsMemorySize, kSegmentOutOfBounds (file range beyond file_size or wrapping),
// kAddressOverflow, kAddressOutOfRange (page-rounded range outside the policy),
// kOverlappingSegments (two chunks share a page), kTooManyChunks.
// Guaranteed for a returned plan: chunks are page aligned, inside the policy, disjoint, never
// writable and executable; every copy lies inside its frame and inside the file.
Result<LoadPlan, Error> PlanLoad(const Image& image, uint64_t file_size, const Policy& policy);
// The same for bare segments (entry 0): the kernel's root-process loader plans with it.
Result<LoadPlan, Error> PlanSegments(const Segment* segments, size_t count, uint64_t file_size,
                                     const Policy& policy);

}  // namespace hiillos::elf
