// lib/ring/region.h — creating a ring in a caller-provided region and attaching to one whose
// header comes from an untrusted peer.
//
// The creator (usually the side that allocated the frame) calls InitializeRing once, before
// handing the frame to the peer; then each side attaches as Producer or Consumer. Attaching
// checks everything in the header and copies the geometry: the peer can later scribble over the
// header, but never make this side read or write outside the region.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/ring/error.h"
#include "lib/ring/layout.h"

namespace hiillos::ring {

// Bytes a ring of slot_count slots of slot_size bytes needs. Errors: kBadGeometry (also when the
// size overflows).
Result<size_t, Error> RequiredRegionSize(uint32_t slot_size, uint32_t slot_count);

// Writes an empty ring's header into region[0, region_size) (cache-line aligned).
// Errors: kMisalignedRegion, kBadGeometry, kRegionTooSmall.
Result<void, Error> InitializeRing(void* region, size_t region_size, uint32_t slot_size,
                                   uint32_t slot_count);

// A validated ring: where its header and slots are, and its geometry as read at attach time.
struct RingView {
  RingHeader* header;
  uint8_t* slots;
  uint32_t slot_size;
  uint32_t slot_count;
  uint32_t head;  // indices at attach time (head - tail <= slot_count)
  uint32_t tail;
};

// Validates a peer-provided header. Errors: kMisalignedRegion, kRegionTooSmall, kBadMagic,
// kBadGeometry, kSlotSizeMismatch (header's slot size != expected_slot_size), kCorruptIndices.
Result<RingView, Error> ValidateRing(void* region, size_t region_size, uint32_t expected_slot_size);

}  // namespace hiillos::ring
