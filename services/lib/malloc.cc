// services/lib/malloc.cc — malloc/free/calloc/realloc and operator new/delete on the program's
// Heap, whose pages come from the vm server when the program has a "vm" capability
// (InitVmHeap), else from its PageAllocator (its own Memory and Vmem). Without a heap (no
// "memory"/"vmem" capabilities) malloc returns nullptr. operator new cannot throw here: it ends the
// program with kExitOutOfMemory (program.h) when no memory is left; the nothrow forms return
// nullptr.
#include "lib/base/placement_new.h"
#include "services/lib/heap.h"
#include "services/lib/heap_glue.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/vm/client.h"
#include "services/vm/region.h"

namespace std {
struct nothrow_t {
  explicit nothrow_t() = default;
};
}  // namespace std

namespace hiillos::rt {
namespace {

void* AllocatePages(void*, unsigned order) {
  auto pages = Pages().Allocate(order);
  return pages.ok() ? pages.value() : nullptr;
}
void FreePages(void*, void* pages) {
  (void)Pages().Free(pages);
}

// The vm server's anonymous memory: lazily zero-filled, so the backend's "zeroed" holds.
void* VmAllocatePages(void* context, unsigned order) {
  const uint32_t vm = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(context));
  auto address = vm::Alloc(vm, uint64_t{0x1000} << order, 0, vm::kProtRead | vm::kProtWrite);
  return address.ok() ? reinterpret_cast<void*>(address.value()) : nullptr;
}
void VmFreePages(void* context, void* pages) {
  const uint32_t vm = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(context));
  (void)vm::Free(vm, reinterpret_cast<uint64_t>(pages), 0);  // 0: the whole region there
}

alignas(Heap) unsigned char g_storage[sizeof(Heap)];
Heap* g_heap = nullptr;

void* NewOrExit(size_t size) {
  void* block = malloc(size);
  if (block == nullptr) {
    Printf("out of memory (operator new of %zu bytes)", size);
    ThreadExit(static_cast<uint64_t>(kExitOutOfMemory));
  }
  return block;
}

}  // namespace

void InitHeap() {
  if (g_heap == nullptr)
    g_heap = new (g_storage) Heap(HeapBackend{nullptr, AllocatePages, FreePages});
}

uint32_t g_vm_heap_sender = 0;

uint32_t VmHeapSender() {
  return g_vm_heap_sender;
}

void InitVmHeap(uint32_t vm) {
  if (g_heap == nullptr) {
    g_vm_heap_sender = vm;
    void* context = reinterpret_cast<void*>(static_cast<uintptr_t>(vm));
    g_heap = new (g_storage) Heap(HeapBackend{context, VmAllocatePages, VmFreePages});
  }
}

bool HeapAvailable() {
  return g_heap != nullptr;
}

}  // namespace hiillos::rt

using hiillos::rt::g_heap;

extern "C" void* malloc(size_t size) {
  return g_heap != nullptr ? g_heap->Allocate(size) : nullptr;
}

extern "C" void free(void* block) {
  if (block == nullptr) return;
  if (g_heap == nullptr || !g_heap->Free(block)) {
    hiillos::rt::Printf("free: %p is not a live heap block", block);
    __builtin_trap();
  }
}

extern "C" void* calloc(size_t count, size_t size) {
  size_t bytes = 0;
  if (__builtin_mul_overflow(count, size, &bytes)) return nullptr;
  void* block = malloc(bytes);
  if (block != nullptr) __builtin_memset(block, 0, bytes);
  return block;
}

extern "C" void* realloc(void* block, size_t size) {
  if (block == nullptr) return malloc(size);
  if (size == 0) {
    free(block);
    return nullptr;
  }
  const size_t usable = g_heap != nullptr ? g_heap->UsableSize(block) : 0;
  if (usable == 0) {
    free(block);  // reports and traps
    return nullptr;
  }
  if (size <= usable) return block;
  void* bigger = malloc(size);
  if (bigger == nullptr) return nullptr;
  __builtin_memcpy(bigger, block, usable);
  free(block);
  return bigger;
}

void* operator new(size_t size) {
  return hiillos::rt::NewOrExit(size);
}
void* operator new[](size_t size) {
  return hiillos::rt::NewOrExit(size);
}
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  return malloc(size);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  return malloc(size);
}
void operator delete(void* block) noexcept {
  free(block);
}
void operator delete[](void* block) noexcept {
  free(block);
}
void operator delete(void* block, size_t) noexcept {
  free(block);
}
void operator delete[](void* block, size_t) noexcept {
  free(block);
}
