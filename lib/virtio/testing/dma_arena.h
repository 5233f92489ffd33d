// lib/virtio/testing/dma_arena.h — host stand-in for DMA memory: aligned, zeroed allocations
// whose "device address" is their host address (the simulated device uses it directly).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vector>

namespace hiillos::virtio::testing {

class DmaArena {
 public:
  DmaArena() = default;
  DmaArena(const DmaArena&) = delete;
  DmaArena& operator=(const DmaArena&) = delete;
  ~DmaArena() {
    for (void* block : blocks_) free(block);
  }

  uint8_t* Allocate(size_t bytes, size_t align = 4096) {
    const size_t rounded = (bytes + align - 1) / align * align;
    void* block = aligned_alloc(align, rounded == 0 ? align : rounded);
    memset(block, 0, rounded == 0 ? align : rounded);
    blocks_.push_back(block);
    return static_cast<uint8_t*>(block);
  }

  static uint64_t AddressOf(const void* pointer) { return reinterpret_cast<uintptr_t>(pointer); }

 private:
  std::vector<void*> blocks_;
};

}  // namespace hiillos::virtio::testing
