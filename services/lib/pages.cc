// services/lib/pages.cc — the program's PageAllocator over its Memory and Vmem capabilities.
#include "lib/base/placement_new.h"
#include "services/lib/page_allocator.h"
#include "services/lib/syscalls.h"

namespace hiillos::rt {
namespace {

struct OwnCaps {
  uint32_t memory;
  uint32_t vmem;
};
OwnCaps g_caps;

Result<uint32_t, uapi::Status> AllocateFrame(void* context, unsigned order) {
  return MemoryAllocFrame(static_cast<OwnCaps*>(context)->memory, order);
}
Result<void, uapi::Status> MapFrame(void* context, uint32_t frame, uint64_t vaddr) {
  auto* caps = static_cast<OwnCaps*>(context);
  return VmemMap(caps->vmem, frame, vaddr, uapi::kMapRead | uapi::kMapWrite, caps->memory);
}
Result<void, uapi::Status> UnmapFrame(void* context, uint64_t vaddr) {
  return VmemUnmap(static_cast<OwnCaps*>(context)->vmem, vaddr);
}
void ReleaseFrame(void*, uint32_t frame) {
  (void)CapDelete(frame);
}

alignas(PageAllocator) unsigned char g_storage[sizeof(PageAllocator)];
PageAllocator* g_pages = nullptr;

}  // namespace

void InitPages(uint32_t memory, uint32_t vmem) {
  g_caps = OwnCaps{memory, vmem};
  PageBackend backend;
  backend.context = &g_caps;
  backend.allocate_frame = AllocateFrame;
  backend.map = MapFrame;
  backend.unmap = UnmapFrame;
  backend.release_frame = ReleaseFrame;
  g_pages = new (g_storage) PageAllocator(backend, kHeapBase, kHeapSize);
}

PageAllocator& Pages() {
  if (g_pages == nullptr) __builtin_trap();  // InitPages first
  return *g_pages;
}

}  // namespace hiillos::rt
