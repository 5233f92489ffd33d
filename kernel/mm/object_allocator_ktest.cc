// kernel/mm/object_allocator_ktest.cc — in-kernel tests of the object allocator.
#include "kernel/mm/object_allocator.h"
#include "kernel/test/ktest.h"

namespace hiillos::mm {
namespace {

KTEST(object_allocator, sizes_alignment_reuse_and_accounting) {
  ObjectAllocatorStats before = GetObjectAllocatorStats();
  const size_t sizes[] = {1, 24, 32, 33, 100, 512, 4096, 4097, 20000};
  void* objects[9];
  for (unsigned i = 0; i < 9; ++i) {
    auto object = ObjectAlloc(sizes[i]);
    KASSERT(object.ok());
    objects[i] = object.value();
    KEXPECT_EQ(reinterpret_cast<uint64_t>(objects[i]) % 16, 0u);
    auto* bytes = static_cast<uint8_t*>(objects[i]);
    for (size_t b = 0; b < sizes[i]; ++b) KASSERT(bytes[b] == 0);  // zeroed
    __builtin_memset(objects[i], 0xa0 + i, sizes[i]);
  }
  for (unsigned i = 0; i < 9; ++i) {  // nobody overwrote anybody
    auto* bytes = static_cast<uint8_t*>(objects[i]);
    KEXPECT_EQ(bytes[0], 0xa0u + i);
    KEXPECT_EQ(bytes[sizes[i] - 1], 0xa0u + i);
  }
  KEXPECT_EQ(GetObjectAllocatorStats().live_objects, before.live_objects + 9);
  for (unsigned i = 0; i < 9; ++i) ObjectFree(objects[i], sizes[i]);
  KEXPECT_EQ(GetObjectAllocatorStats().live_objects, before.live_objects);
  // A freed small object is handed out again (same class), zeroed.
  auto again = ObjectAlloc(100);
  KASSERT(again.ok());
  KEXPECT(again.value() == objects[4]);
  KEXPECT_EQ(static_cast<uint8_t*>(again.value())[0], 0u);
  ObjectFree(again.value(), 100);
}

}  // namespace
}  // namespace hiillos::mm
