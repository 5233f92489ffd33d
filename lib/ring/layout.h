// lib/ring/layout.h — the shared-memory layout of a single-producer/single-consumer ring: the
// ABI both processes mapping the same frame agree on (C-compatible, fixed-width, asserted).
//
//   offset 0    RingHeader (192 bytes: geometry, producer line, consumer line)
//   offset 192  slot_count slots of slot_size bytes each (slot_count a power of two)
//
// head and tail are free-running 32-bit counters (slot index = counter & (slot_count - 1));
// head - tail (mod 2^32) is the number of filled slots and never exceeds slot_count.
// The protocol (who writes what, memory ordering, wake-ups) is docs/protocols/ring.md.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::ring {

inline constexpr uint32_t kRingMagic = 0x474e4952;  // "RING" little-endian
inline constexpr uint32_t kRingVersion = 1;
inline constexpr uint32_t kMaxSlotCount = 1u << 31;  // keeps head - tail unambiguous
inline constexpr size_t kCacheLine = 64;

struct RingHeader {
  // Written once by the creator before the peer attaches; each side copies it at attach.
  uint32_t magic;
  uint32_t version;
  uint32_t slot_size;   // bytes per slot (1 for a byte stream, sizeof(record) for records)
  uint32_t slot_count;  // power of two, <= kMaxSlotCount
  uint8_t reserved0[48];
  // Producer's line: head written only by the producer (release); producer_waiting set by the
  // producer before it sleeps on a full ring, cleared by whoever sends its wake-up.
  uint32_t head;
  uint32_t producer_waiting;
  uint8_t reserved1[56];
  // Consumer's line: tail written only by the consumer (release); consumer_waiting set by the
  // consumer before it sleeps on an empty ring, cleared by whoever sends its wake-up.
  uint32_t tail;
  uint32_t consumer_waiting;
  uint8_t reserved2[56];
};

static_assert(sizeof(RingHeader) == 3 * kCacheLine);
static_assert(offsetof(RingHeader, magic) == 0);
static_assert(offsetof(RingHeader, version) == 4);
static_assert(offsetof(RingHeader, slot_size) == 8);
static_assert(offsetof(RingHeader, slot_count) == 12);
static_assert(offsetof(RingHeader, head) == kCacheLine);
static_assert(offsetof(RingHeader, producer_waiting) == kCacheLine + 4);
static_assert(offsetof(RingHeader, tail) == 2 * kCacheLine);
static_assert(offsetof(RingHeader, consumer_waiting) == 2 * kCacheLine + 4);
static_assert(__is_standard_layout(RingHeader) && __is_trivially_copyable(RingHeader));

// Slots start right after the header.
inline constexpr size_t kSlotsOffset = sizeof(RingHeader);

}  // namespace hiillos::ring
