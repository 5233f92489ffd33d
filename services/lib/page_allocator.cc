// services/lib/page_allocator.cc — PageAllocator bookkeeping (host-tested).
#include "services/lib/page_allocator.h"
#include "lib/base/page_size.h"

namespace hiillos::rt {
namespace {}  // namespace

Result<void*, uapi::Status> PageAllocator::Allocate(unsigned order) {
  if (order > kMaxOrder) return Err(uapi::Status::kInvalidArgument);
  const uint64_t size = kPageSize << order;
  // Reuse a freed range of this order, else take a fresh one from the region.
  Block* block = nullptr;
  for (Block& candidate : blocks_) {
    if (candidate.valid && !candidate.used && candidate.order == order) {
      block = &candidate;
      break;
    }
  }
  if (block == nullptr) {
    for (Block& candidate : blocks_) {
      if (!candidate.valid) {
        block = &candidate;
        break;
      }
    }
    if (block == nullptr) return Err(uapi::Status::kOutOfMemory);
    uint64_t start = (next_ + size - 1) & ~(size - 1);
    if (start < next_ || start > end_ || end_ - start < size) {
      return Err(uapi::Status::kOutOfMemory);
    }
    *block = Block{start, 0, static_cast<uint8_t>(order), false, true};
    next_ = start + size;
  }
  uint32_t frame = TRY(backend_.allocate_frame(backend_.context, order));
  auto mapped = backend_.map(backend_.context, frame, block->vaddr);
  if (!mapped.ok()) {
    backend_.release_frame(backend_.context, frame);
    return Err(mapped.error());
  }
  block->frame = frame;
  block->used = true;
  ++live_;
  return reinterpret_cast<void*>(block->vaddr);
}

Result<void, uapi::Status> PageAllocator::Free(void* pages) {
  const auto vaddr = reinterpret_cast<uint64_t>(pages);
  for (Block& block : blocks_) {
    if (!block.valid || !block.used || block.vaddr != vaddr) continue;
    TRY(backend_.unmap(backend_.context, vaddr));
    backend_.release_frame(backend_.context, block.frame);
    block.used = false;
    block.frame = 0;
    --live_;
    return Ok<uapi::Status>();
  }
  return Err(uapi::Status::kInvalidArgument);
}

}  // namespace hiillos::rt
