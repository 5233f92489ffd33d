// kernel/mm/object_allocator.h — fixed-size-class allocator for kernel objects (slabs of PMM
// pages, PageUse::kObject). The kernel has no general heap; objects come from here.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/error.h"
#include "lib/base/result.h"

namespace hiillos::mm {

// Size classes: 32, 64, 128, 256, 512, 1024, 2048, 4096 bytes; larger requests take whole
// pages (order = ceil(log2(pages))). Memory is zeroed. 16-byte aligned (page aligned >= 4 KiB).
Result<void*, Error> ObjectAlloc(size_t bytes);
// `bytes` must be the size given to ObjectAlloc.
void ObjectFree(void* object, size_t bytes);

struct ObjectAllocatorStats {
  uint64_t live_objects;  // allocated and not yet freed
  uint64_t slab_pages;    // pages held by slabs (partly free included)
};
ObjectAllocatorStats GetObjectAllocatorStats();

// Placement helper: T constructed in zeroed object memory. Returns nullptr when out of memory.
template <typename T, typename... Args>
T* NewObject(Args&&... args);
template <typename T>
void DeleteObject(T* object);

}  // namespace hiillos::mm

#include "lib/base/placement_new.h"
#include "lib/base/utility.h"

namespace hiillos::mm {

template <typename T, typename... Args>
T* NewObject(Args&&... args) {
  auto memory = ObjectAlloc(sizeof(T));
  if (!memory.ok()) return nullptr;
  return new (memory.value()) T(Forward<Args>(args)...);
}

template <typename T>
void DeleteObject(T* object) {
  if (object == nullptr) return;
  object->~T();
  ObjectFree(object, sizeof(T));
}

}  // namespace hiillos::mm
