// services/lib/heap.h — Heap: the allocator behind malloc/free and operator new/delete.
//
// Small blocks (up to kMaxSmallSize bytes) come from size classes of 32 .. 2048 bytes, carved out
// of single pages and kept on one free list per class (pages of small blocks are not returned).
// Larger blocks get their own power-of-two run of pages and return it on Free. Every block
// starts with a 16-byte header (so results are 16-byte aligned) that Free checks: a pointer
// Allocate did not return, or one already freed, is refused. Pages come from a HeapBackend
// (the program's PageAllocator in user programs, malloc.cc), so the logic is host-tested.
// Not thread-safe: one owner thread (or the caller's lock).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::rt {

struct HeapBackend {
  void* context = nullptr;
  // 0x1000 << order zeroed, page-aligned bytes, or nullptr.
  void* (*allocate_pages)(void* context, unsigned order) = nullptr;
  void (*free_pages)(void* context, void* pages) = nullptr;
};

class Heap {
 public:
  static constexpr size_t kHeaderSize = 16;
  static constexpr size_t kClassCount = 7;  // 32, 64, ..., 2048 bytes with the header
  static constexpr size_t kMaxSmallSize = (size_t{32} << (kClassCount - 1)) - kHeaderSize;
  static constexpr unsigned kMaxOrder = 18;  // the largest run of pages (1 GiB)

  explicit Heap(const HeapBackend& backend) : backend_(backend) {}
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  // At least `size` bytes, 16-byte aligned, or nullptr (no memory, or too large). Size 0 gives
  // a unique minimal block.
  void* Allocate(size_t size);
  // Frees a block from Allocate; nullptr is a no-op. False (and nothing changes) for a pointer
  // Allocate did not return or one already freed.
  bool Free(void* block);
  // The usable size of a live block (at least what was asked for), 0 for anything else.
  size_t UsableSize(const void* block) const;

  size_t live_blocks() const { return live_blocks_; }
  size_t pages_in_use() const { return pages_in_use_; }  // small-class pages + large runs

 private:
  struct Header;
  Header* HeaderOf(const void* block) const;
  bool Refill(size_t size_class);

  HeapBackend backend_;
  void* free_lists_[kClassCount] = {};
  size_t live_blocks_ = 0;
  size_t pages_in_use_ = 0;
};

}  // namespace hiillos::rt
