// services/lib/heap.cc — Heap: size classes on free lists, large blocks as page runs.
#include "services/lib/heap.h"

#include "lib/base/page_size.h"

namespace hiillos::rt {

// Header of every block, just before the pointer Allocate returns.
struct Heap::Header {
  uint32_t magic;      // kLive or kFree
  uint8_t size_class;  // index into the classes, or kLarge
  uint8_t order;       // large blocks: the page run's order
  uint16_t reserved;
  void* next;  // free small blocks: the next free block of the class
};

namespace {

constexpr uint32_t kLive = 0x4556494c;  // a live block
constexpr uint32_t kFree = 0x46524545;  // a free small block
constexpr uint8_t kLarge = 0xff;

constexpr size_t ClassBytes(size_t size_class) {
  return size_t{32} << size_class;
}

}  // namespace

Heap::Header* Heap::HeaderOf(const void* block) const {
  static_assert(sizeof(Header) == kHeaderSize);
  // Every block Allocate returns is 16-byte aligned and never the start of a page, so its header
  // is in the same page as the block.
  const uintptr_t address = reinterpret_cast<uintptr_t>(block);
  if (address % kHeaderSize != 0 || address % kPageSize == 0) return nullptr;
  auto* header = reinterpret_cast<Header*>(address - kHeaderSize);
  if (header->magic != kLive) return nullptr;
  if (header->size_class != kLarge && header->size_class >= kClassCount) return nullptr;
  if (header->size_class == kLarge && header->order > kMaxOrder) return nullptr;
  return header;
}

bool Heap::Refill(size_t size_class) {
  auto* page = static_cast<uint8_t*>(backend_.allocate_pages(backend_.context, 0));
  if (page == nullptr) return false;
  ++pages_in_use_;
  const size_t bytes = ClassBytes(size_class);
  // Push in reverse so blocks come out in address order.
  for (size_t offset = kPageSize; offset >= bytes; offset -= bytes) {
    auto* header = reinterpret_cast<Header*>(page + offset - bytes);
    *header = Header{kFree, static_cast<uint8_t>(size_class), 0, 0, free_lists_[size_class]};
    free_lists_[size_class] = header;
  }
  return true;
}

void* Heap::Allocate(size_t size) {
  if (size <= kMaxSmallSize) {
    size_t size_class = 0;
    while (ClassBytes(size_class) - kHeaderSize < size) ++size_class;
    if (free_lists_[size_class] == nullptr && !Refill(size_class)) return nullptr;
    auto* header = static_cast<Header*>(free_lists_[size_class]);
    free_lists_[size_class] = header->next;
    header->magic = kLive;
    header->next = nullptr;
    ++live_blocks_;
    return reinterpret_cast<uint8_t*>(header) + kHeaderSize;
  }
  unsigned order = 0;
  while (order <= kMaxOrder && (kPageSize << order) - kHeaderSize < size) ++order;
  if (order > kMaxOrder) return nullptr;
  auto* run = static_cast<Header*>(backend_.allocate_pages(backend_.context, order));
  if (run == nullptr) return nullptr;
  *run = Header{kLive, kLarge, static_cast<uint8_t>(order), 0, nullptr};
  pages_in_use_ += size_t{1} << order;
  ++live_blocks_;
  return reinterpret_cast<uint8_t*>(run) + kHeaderSize;
}

bool Heap::Free(void* block) {
  if (block == nullptr) return true;
  Header* header = HeaderOf(block);
  if (header == nullptr) return false;
  --live_blocks_;
  if (header->size_class == kLarge) {
    const unsigned order = header->order;
    header->magic = 0;
    pages_in_use_ -= size_t{1} << order;
    backend_.free_pages(backend_.context, header);
    return true;
  }
  header->magic = kFree;
  header->next = free_lists_[header->size_class];
  free_lists_[header->size_class] = header;
  return true;
}

size_t Heap::UsableSize(const void* block) const {
  const Header* header = HeaderOf(block);
  if (header == nullptr) return 0;
  if (header->size_class == kLarge) return (kPageSize << header->order) - kHeaderSize;
  return ClassBytes(header->size_class) - kHeaderSize;
}

}  // namespace hiillos::rt
