// services/lib/heap_glue.h — the program's one Heap (heap.h) over its PageAllocator, behind
// malloc/free/calloc/realloc and operator new/delete (malloc.cc).
#pragma once

#include <stddef.h>

namespace hiillos::rt {

// Builds the heap over Pages(); call once, after InitPages (program_start.cc does both).
void InitHeap();
bool HeapAvailable();

}  // namespace hiillos::rt

extern "C" {
void* malloc(size_t size);
void free(void* block);
void* calloc(size_t count, size_t size);
void* realloc(void* block, size_t size);
}
