// services/pcid/device_mapper.h — DeviceMapper: puts device memory and DMA buffers into the
// calling process's address space, for pcid and drivers: device frames made from a DeviceMemory
// capability (DeviceMemoryCreateFrame), frames received from elsewhere, and zeroed RAM frames
// with their physical (DMA) address (FrameDmaAddress).
//
// Addresses come from a bump window [base, base + size) given by the owner; each mapping is
// aligned to its size (up to 2 MiB) so large frames can use large pages. Nothing is unmapped:
// device mappings live as long as the process (drivers keep their devices). Not thread-safe.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::pcid {

struct DmaBuffer {
  uint32_t frame = 0;  // the RAM frame's capability
  uint8_t* address = nullptr;
  uint64_t phys = 0;  // what a device is given
  uint64_t size = 0;
};

class DeviceMapper {
 public:
  // `memory` pays for frames, mappings and page tables (Write); `vmem` is the caller's own
  // (Map); `devices` is a DeviceMemory capability (Write to map physical ranges, Read for DMA
  // addresses; 0 if the caller has none).
  DeviceMapper(uint32_t memory, uint32_t vmem, uint32_t devices, uint64_t base, uint64_t size)
      : memory_(memory), vmem_(vmem), devices_(devices), next_(base), end_(base + size) {}

  // A device frame over the pages covering [phys, phys + size), mapped read-write (uncached);
  // returns the address of `phys` itself and, if asked, the frame's capability.
  Result<volatile uint8_t*, uapi::Status> MapPhys(uint64_t phys, uint64_t size,
                                                  uint32_t* frame = nullptr);
  // Maps a frame the caller holds (read-write when `writable`).
  Result<volatile uint8_t*, uapi::Status> MapFrame(uint32_t frame, bool writable);
  // A zeroed RAM frame of 0x1000 << order bytes, mapped read-write, and its physical address.
  Result<DmaBuffer, uapi::Status> AllocateDma(unsigned order);

 private:
  Result<uint64_t, uapi::Status> Reserve(uint64_t size);

  uint32_t memory_;
  uint32_t vmem_;
  uint32_t devices_;
  uint64_t next_;
  uint64_t end_;
};

}  // namespace hiillos::pcid
