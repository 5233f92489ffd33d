// kernel/arch/x86_64/low_memory.cc — scan of the boot memory map below 1 MiB.
#include "kernel/arch/x86_64/low_memory.h"
#include "lib/base/page_size.h"

namespace hiillos::arch {
namespace {

// True if [range.base, range.base + range.size) intersects [page, page + 4 KiB).
bool Touches(const uapi::MemoryRange& range, uint64_t page) {
  if (range.size == 0) return false;
  uint64_t last = range.base + range.size - 1;
  if (last < range.base) last = ~0ull;  // wraps: treat as reaching the top
  return range.base < page + kPageSize && last >= page;
}

bool Covers(const uapi::MemoryRange& range, uint64_t page) {
  if (range.size == 0 || range.base > page) return false;
  uint64_t offset = page - range.base;
  return range.size >= kPageSize && offset <= range.size - kPageSize;
}

bool PageUsable(const uapi::MemoryRange* map, uint32_t count, uint64_t page) {
  bool covered = false;
  for (uint32_t i = 0; i < count; ++i) {
    if (map[i].kind == uapi::MemoryKind::kUsable) {
      covered = covered || Covers(map[i], page);
    } else if (Touches(map[i], page)) {
      return false;
    }
  }
  return covered;
}

}  // namespace

uint32_t FindLowPages(const uapi::MemoryRange* map, uint32_t count, uint64_t* pages,
                      uint32_t wanted) {
  uint32_t found = 0;
  for (uint64_t page = kLowMemoryFirstPage; page < kLowMemoryLimit && found < wanted;
       page += kPageSize) {
    if (PageUsable(map, count, page)) pages[found++] = page;
  }
  return found;
}

}  // namespace hiillos::arch
