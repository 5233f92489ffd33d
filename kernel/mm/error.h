// kernel/mm/error.h — error codes of the physical memory manager (buddy allocator, memory map).
#pragma once

#include <stdint.h>

namespace hiillos::mm {

enum class Error : uint8_t {
  kOutOfMemory,       // no free block of the requested order or larger
  kInvalidOrder,      // order above BuddyAllocator::kMaxOrder
  kInvalidUse,        // PageUse outside the enum
  kNotOwned,          // address outside the managed span, or not aligned to the block size
  kNotAllocated,      // not the start of an allocated block of that order (double free, ...)
  kBadRange,          // a range that is misaligned, wraps, or overlaps another one
  kMetadataTooSmall,  // Init got less metadata memory than MetadataBytes() asked for
  kBadBootInfo,       // BootInfo with a wrong magic/version or counts beyond its arrays
  kTooManyRanges,     // the output array cannot hold every range
};

}  // namespace hiillos::mm
