// lib/ring/error.h — what can go wrong when creating, attaching to or using a shared ring.
#pragma once

#include <stdint.h>

namespace hiillos::ring {

enum class Error : uint8_t {
  kMisalignedRegion,  // region not aligned to a cache line
  kRegionTooSmall,    // header plus slots do not fit the region
  kBadGeometry,       // slot size zero, slot count not a power of two or above kMaxSlotCount
  kBadMagic,          // not a ring header (or another version)
  kSlotSizeMismatch,  // the header's slot size is not the one this side expects
  kCorruptIndices,    // the peer's head or tail says more than slot_count slots are in use
};

const char* ErrorName(Error error);

}  // namespace hiillos::ring
