// lib/ring/region.cc — ring creation and validation of a peer's header.
#include "lib/ring/region.h"

#include "lib/base/checked.h"
#include "lib/ring/shared_word.h"

namespace hiillos::ring {
namespace {

bool GoodGeometry(uint32_t slot_size, uint32_t slot_count) {
  return slot_size != 0 && IsPowerOfTwo(slot_count) && slot_count <= kMaxSlotCount;
}

Result<void, Error> CheckRegion(const void* region, size_t region_size) {
  if (!IsAligned(reinterpret_cast<uintptr_t>(region), kCacheLine)) {
    return Err(Error::kMisalignedRegion);
  }
  if (region_size < sizeof(RingHeader)) return Err(Error::kRegionTooSmall);
  return Ok<Error>();
}

}  // namespace

Result<size_t, Error> RequiredRegionSize(uint32_t slot_size, uint32_t slot_count) {
  if (!GoodGeometry(slot_size, slot_count)) return Err(Error::kBadGeometry);
  uint64_t slot_bytes = 0;
  uint64_t total = 0;
  if (!CheckedMul<uint64_t>(slot_size, slot_count, &slot_bytes) ||
      !CheckedAdd<uint64_t>(kSlotsOffset, slot_bytes, &total) || total > SIZE_MAX) {
    return Err(Error::kBadGeometry);
  }
  return static_cast<size_t>(total);
}

Result<void, Error> InitializeRing(void* region, size_t region_size, uint32_t slot_size,
                                   uint32_t slot_count) {
  TRY(CheckRegion(region, region_size));
  const size_t needed = TRY(RequiredRegionSize(slot_size, slot_count));
  if (needed > region_size) return Err(Error::kRegionTooSmall);
  auto* header = static_cast<RingHeader*>(region);
  *header = RingHeader{};
  header->magic = kRingMagic;
  header->version = kRingVersion;
  header->slot_size = slot_size;
  header->slot_count = slot_count;
  return Ok<Error>();
}

Result<RingView, Error> ValidateRing(void* region, size_t region_size,
                                     uint32_t expected_slot_size) {
  TRY(CheckRegion(region, region_size));
  auto* header = static_cast<RingHeader*>(region);
  // Each field is read once; later changes by the peer are never looked at again.
  const uint32_t magic = LoadRelaxed(&header->magic);
  const uint32_t version = LoadRelaxed(&header->version);
  const uint32_t slot_size = LoadRelaxed(&header->slot_size);
  const uint32_t slot_count = LoadRelaxed(&header->slot_count);
  if (magic != kRingMagic || version != kRingVersion) return Err(Error::kBadMagic);
  const size_t needed = TRY(RequiredRegionSize(slot_size, slot_count));
  if (slot_size != expected_slot_size) return Err(Error::kSlotSizeMismatch);
  if (needed > region_size) return Err(Error::kRegionTooSmall);
  const uint32_t head = LoadAcquire(&header->head);
  const uint32_t tail = LoadAcquire(&header->tail);
  if (head - tail > slot_count) return Err(Error::kCorruptIndices);
  return RingView{header, static_cast<uint8_t*>(region) + kSlotsOffset, slot_size, slot_count, head,
                  tail};
}

}  // namespace hiillos::ring
