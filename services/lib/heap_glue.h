// services/lib/heap_glue.h — the program's one Heap (heap.h) over its PageAllocator, behind
// malloc/free/calloc/realloc and operator new/delete (malloc.cc).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::rt {

// Builds the heap over Pages(); call once, after InitPages (program_start.cc does both).
void InitHeap();
// Builds the heap over anonymous memory from the vm server through the space's Sender `vm`
// (services/vm/client.h): pages are zero-filled on first touch by the server's pager. Call once
// instead of InitHeap.
void InitVmHeap(uint32_t vm);
// The vm Sender the heap uses (InitVmHeap), 0 when the heap does not come from the vm server.
uint32_t VmHeapSender();
bool HeapAvailable();

}  // namespace hiillos::rt

extern "C" {
void* malloc(size_t size);
void free(void* block);
void* calloc(size_t count, size_t size);
void* realloc(void* block, size_t size);
}
