// lib/virtio/split_queue_layout.h — the split virtqueue's memory layout (VIRTIO 1.1 §2.6):
// descriptor table, available ring and used ring, their sizes and alignments, all asserted.
//
//   descriptor table  16 * N bytes, 16-byte aligned
//   available ring    flags, idx, ring[N], used_event: 6 + 2 * N bytes, 2-byte aligned
//   used ring         flags, idx, ring[N] of {id, len}, avail_event: 6 + 8 * N bytes, 4-aligned
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::virtio {

// Queue sizes are powers of two up to 32768 (§2.6); this driver keeps its private bookkeeping
// in fixed arrays, so it supports up to 1024 entries (QEMU offers 128 or 256).
inline constexpr uint16_t kMaxQueueSize = 1024;

// struct virtq_desc (§2.6.5)
struct VirtqDesc {
  uint64_t addr;  // device (bus) address of the buffer
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};
inline constexpr uint16_t kDescFlagNext = 1;      // VIRTQ_DESC_F_NEXT
inline constexpr uint16_t kDescFlagWrite = 2;     // VIRTQ_DESC_F_WRITE: device writes it
inline constexpr uint16_t kDescFlagIndirect = 4;  // VIRTQ_DESC_F_INDIRECT (not used here)
static_assert(sizeof(VirtqDesc) == 16);
static_assert(offsetof(VirtqDesc, addr) == 0);
static_assert(offsetof(VirtqDesc, len) == 8);
static_assert(offsetof(VirtqDesc, flags) == 12);
static_assert(offsetof(VirtqDesc, next) == 14);

// struct virtq_avail (§2.6.6): ring[queue_size] follows, then used_event.
struct VirtqAvailHeader {
  uint16_t flags;
  uint16_t idx;
};
inline constexpr uint16_t kAvailFlagNoInterrupt = 1;  // VIRTQ_AVAIL_F_NO_INTERRUPT
static_assert(sizeof(VirtqAvailHeader) == 4);

// struct virtq_used_elem (§2.6.8)
struct VirtqUsedElem {
  uint32_t id;   // head of the used descriptor chain (u32 for padding reasons)
  uint32_t len;  // bytes written into the chain's device-writable buffers
};
static_assert(sizeof(VirtqUsedElem) == 8);

// struct virtq_used (§2.6.8): ring[queue_size] of VirtqUsedElem follows, then avail_event.
struct VirtqUsedHeader {
  uint16_t flags;
  uint16_t idx;
};
inline constexpr uint16_t kUsedFlagNoNotify = 1;  // VIRTQ_USED_F_NO_NOTIFY
static_assert(sizeof(VirtqUsedHeader) == 4);

// §2.6: "Descriptor Table 16, Available Ring 2, Used Ring 4" (alignment in bytes).
inline constexpr size_t kDescTableAlign = 16;
inline constexpr size_t kAvailRingAlign = 2;
inline constexpr size_t kUsedRingAlign = 4;

constexpr size_t DescTableBytes(uint16_t size) {
  return sizeof(VirtqDesc) * size;
}
constexpr size_t AvailRingBytes(uint16_t size) {
  return sizeof(VirtqAvailHeader) + sizeof(uint16_t) * size + sizeof(uint16_t);
}
constexpr size_t UsedRingBytes(uint16_t size) {
  return sizeof(VirtqUsedHeader) + sizeof(VirtqUsedElem) * size + sizeof(uint16_t);
}
static_assert(DescTableBytes(256) == 4096);
static_assert(AvailRingBytes(256) == 6 + 2 * 256);
static_assert(UsedRingBytes(256) == 6 + 8 * 256);

// Field addresses inside the rings, shared by the driver and the simulated device.
inline uint16_t* AvailRingEntries(void* avail) {
  return reinterpret_cast<uint16_t*>(static_cast<uint8_t*>(avail) + sizeof(VirtqAvailHeader));
}
inline uint16_t* UsedEventField(void* avail, uint16_t size) {
  return AvailRingEntries(avail) + size;  // only meaningful with VIRTIO_F_EVENT_IDX
}
inline VirtqUsedElem* UsedRingEntries(void* used) {
  return reinterpret_cast<VirtqUsedElem*>(static_cast<uint8_t*>(used) + sizeof(VirtqUsedHeader));
}
inline uint16_t* AvailEventField(void* used, uint16_t size) {
  return reinterpret_cast<uint16_t*>(UsedRingEntries(used) + size);  // VIRTIO_F_EVENT_IDX only
}

// vring_need_event (§2.6.7.2): true when event_idx lies in (old_idx, new_idx], i.e. the other
// side asked to be told once the index passes event_idx and this update passed it.
constexpr bool NeedEvent(uint16_t event_idx, uint16_t new_idx, uint16_t old_idx) {
  return static_cast<uint16_t>(new_idx - event_idx - 1) < static_cast<uint16_t>(new_idx - old_idx);
}
static_assert(NeedEvent(5, 6, 5) && !NeedEvent(6, 6, 5) && NeedEvent(0xffff, 0, 0xfffe));

}  // namespace hiillos::virtio
