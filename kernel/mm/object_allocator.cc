// kernel/mm/object_allocator.cc — per-size-class free lists threaded through free objects; a
// class takes a fresh 4 KiB page from the PMM when its list is empty. Pages are kept (slabs are
// not returned to the PMM); live-object counts make leaks visible to tests.
#include "kernel/mm/object_allocator.h"

#include "kernel/arch/spinlock.h"
#include "kernel/mm/phys_range.h"
#include "kernel/mm/pmm.h"

namespace hiillos::mm {
namespace {

constexpr size_t kClassCount = 8;
constexpr size_t kSmallest = 32;
constexpr size_t kLargestClass = kSmallest << (kClassCount - 1);  // 4096

struct FreeObject {
  FreeObject* next;
};

IrqSpinLock g_lock;
FreeObject* g_free[kClassCount] TA_GUARDED(g_lock) = {};
uint64_t g_live TA_GUARDED(g_lock) = 0;
uint64_t g_slab_pages TA_GUARDED(g_lock) = 0;

size_t ClassOf(size_t bytes) {
  size_t index = 0;
  while ((kSmallest << index) < bytes) ++index;
  return index;
}

unsigned OrderForPages(uint64_t pages) {
  unsigned order = 0;
  while ((1ull << order) < pages) ++order;
  return order;
}

}  // namespace

Result<void*, Error> ObjectAlloc(size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes > kLargestClass) {
    unsigned order = OrderForPages((bytes + kPageSize - 1) / kPageSize);
    uint64_t phys = TRY(AllocatePages(order, PageUse::kObject));
    void* object = PhysToVirt(phys);
    __builtin_memset(object, 0, kPageSize << order);
    IrqSpinLockGuard guard(g_lock);
    ++g_live;
    return object;
  }
  size_t index = ClassOf(bytes);
  size_t size = kSmallest << index;
  {
    IrqSpinLockGuard guard(g_lock);
    if (FreeObject* object = g_free[index]) {
      g_free[index] = object->next;
      ++g_live;
      __builtin_memset(object, 0, size);
      return static_cast<void*>(object);
    }
  }
  // Refill outside the lock: the PMM has its own.
  uint64_t phys = TRY(AllocatePages(0, PageUse::kObject));
  auto* page = static_cast<uint8_t*>(PhysToVirt(phys));
  __builtin_memset(page, 0, kPageSize);
  IrqSpinLockGuard guard(g_lock);
  ++g_slab_pages;
  for (size_t offset = size; offset + size <= kPageSize; offset += size) {
    auto* object = reinterpret_cast<FreeObject*>(page + offset);
    object->next = g_free[index];
    g_free[index] = object;
  }
  ++g_live;
  return static_cast<void*>(page);
}

void ObjectFree(void* object, size_t bytes) {
  if (object == nullptr) return;
  if (bytes == 0) bytes = 1;
  if (bytes > kLargestClass) {
    unsigned order = OrderForPages((bytes + kPageSize - 1) / kPageSize);
    auto freed = FreePages(VirtToPhys(object), order);
    (void)freed;  // only pages ObjectAlloc handed out come back here
    IrqSpinLockGuard guard(g_lock);
    --g_live;
    return;
  }
  size_t index = ClassOf(bytes);
  IrqSpinLockGuard guard(g_lock);
  auto* free_object = static_cast<FreeObject*>(object);
  free_object->next = g_free[index];
  g_free[index] = free_object;
  --g_live;
}

ObjectAllocatorStats GetObjectAllocatorStats() {
  IrqSpinLockGuard guard(g_lock);
  return {g_live, g_slab_pages};
}

}  // namespace hiillos::mm
