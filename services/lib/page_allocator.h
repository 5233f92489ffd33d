// services/lib/page_allocator.h — PageAllocator: zeroed pages for a program, as frames from a
// Memory capability mapped into its own Vmem inside a reserved virtual region.
//
// Each allocation is one frame of 0x1000 << order bytes at a virtual address aligned to its
// size (so the kernel can use large pages); freed address ranges are reused by allocations of
// the same order. The syscalls are behind a PageBackend so the bookkeeping is host-tested.
// Not thread-safe: one owner thread (or the caller's lock).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::rt {

struct PageBackend {
  void* context = nullptr;
  // A new frame capability of 0x1000 << order bytes.
  Result<uint32_t, uapi::Status> (*allocate_frame)(void* context, unsigned order) = nullptr;
  // Maps `frame` read-write at `vaddr`.
  Result<void, uapi::Status> (*map)(void* context, uint32_t frame, uint64_t vaddr) = nullptr;
  Result<void, uapi::Status> (*unmap)(void* context, uint64_t vaddr) = nullptr;
  // Deletes the frame capability (its memory returns to the Memory).
  void (*release_frame)(void* context, uint32_t frame) = nullptr;
};

class PageAllocator {
 public:
  static constexpr size_t kMaxBlocks = 256;
  static constexpr unsigned kMaxOrder = 18;

  // Hands out addresses in [base, base + size) (page aligned).
  PageAllocator(const PageBackend& backend, uint64_t base, uint64_t size)
      : backend_(backend), next_(base), end_(base + size) {}
  PageAllocator(const PageAllocator&) = delete;
  PageAllocator& operator=(const PageAllocator&) = delete;

  // Errors: kInvalidArgument (order > kMaxOrder), kOutOfMemory (no room in the region or the
  // block table), or what the backend reports (then nothing is kept).
  Result<void*, uapi::Status> Allocate(unsigned order);
  // Errors: kInvalidArgument (not an address Allocate returned, or already freed), or the
  // backend's unmap error (then the block stays allocated).
  Result<void, uapi::Status> Free(void* pages);

  size_t live_blocks() const { return live_; }

 private:
  struct Block {
    uint64_t vaddr = 0;
    uint32_t frame = 0;
    uint8_t order = 0;
    bool used = false;
    bool valid = false;  // the address range belongs to this slot
  };

  PageBackend backend_;
  uint64_t next_;
  uint64_t end_;
  Block blocks_[kMaxBlocks];
  size_t live_ = 0;
};

// The program's own allocator over (memory, vmem) capabilities, in the region
// [kHeapBase, kHeapBase + kHeapSize). Call InitPages once before Pages().
inline constexpr uint64_t kHeapBase = 0x0000'1000'0000'0000ull;
inline constexpr uint64_t kHeapSize = 0x0000'0100'0000'0000ull;  // 1 TiB of address space
void InitPages(uint32_t memory, uint32_t vmem);
PageAllocator& Pages();

}  // namespace hiillos::rt
