// kernel/mm/pmm_ktest.cc — in-kernel tests of the physical memory manager on real memory.
#include "kernel/boot/boot_state.h"
#include "kernel/mm/pmm.h"
#include "kernel/test/ktest.h"

namespace hiillos::mm {
namespace {

// Pages of `kind` above 1 MiB in the boot memory map.
uint64_t PagesOfKind(const uapi::BootInfo& info, uapi::MemoryKind kind) {
  uint64_t pages = 0;
  for (uint32_t i = 0; i < info.memory_range_count; ++i) {
    const auto& range = info.memory_map[i];
    if (range.kind != kind) continue;
    uint64_t base = range.base < 0x10'0000 ? 0x10'0000 : range.base;
    uint64_t end = range.base + range.size;
    if (end > base) pages += (end - base) / 0x1000;
  }
  return pages;
}

KTEST(pmm, accounting_matches_firmware_map) {
  const uapi::BootInfo& info = boot::SavedBootInfo();
  PmmStats stats = GetPmmStats();
  uint64_t expected = PagesOfKind(info, uapi::MemoryKind::kUsable) +
                      PagesOfKind(info, uapi::MemoryKind::kLoaderReclaimable) +
                      PagesOfKind(info, uapi::MemoryKind::kBootData);
  KEXPECT_EQ(stats.total_pages + stats.metadata_pages, expected);
  uint64_t used = 0;
  for (uint64_t pages : stats.used_pages) used += pages;
  KEXPECT_EQ(stats.free_pages + used, stats.total_pages);
}

KTEST(pmm, blocks_are_aligned_and_disjoint) {
  PmmStats before = GetPmmStats();
  uint64_t blocks[8];
  for (unsigned order = 0; order < 8; ++order) {
    auto block = AllocatePages(order, PageUse::kKernel);
    KASSERT(block.ok());
    blocks[order] = block.value();
    KEXPECT_EQ(blocks[order] & ((0x1000ull << order) - 1), 0u);
    // Write a pattern through the HHDM; later blocks must not overwrite it.
    __builtin_memset(PhysToVirt(blocks[order]), 0x40 + order, 0x1000ull << order);
  }
  for (unsigned order = 0; order < 8; ++order) {
    auto* bytes = static_cast<uint8_t*>(PhysToVirt(blocks[order]));
    KEXPECT_EQ(bytes[0], 0x40u + order);
    KEXPECT_EQ(bytes[(0x1000ull << order) - 1], 0x40u + order);
    for (unsigned other = 0; other < order; ++other) {
      bool overlap = blocks[other] < blocks[order] + (0x1000ull << order) &&
                     blocks[order] < blocks[other] + (0x1000ull << other);
      KEXPECT(!overlap);
    }
  }
  for (unsigned order = 0; order < 8; ++order) KEXPECT(FreePages(blocks[order], order).ok());
  PmmStats after = GetPmmStats();
  KEXPECT_EQ(after.free_pages, before.free_pages);
}

KTEST(pmm, exhaustion_returns_error_and_frees_back) {
  PmmStats before = GetPmmStats();
  // Chain every free 4 KiB page through its own first word (no extra memory needed).
  uint64_t head = 0;
  uint64_t count = 0;
  for (;;) {
    auto page = AllocatePages(0, PageUse::kUser);
    if (!page.ok()) {
      KEXPECT(page.error() == Error::kOutOfMemory);
      break;
    }
    *static_cast<uint64_t*>(PhysToVirt(page.value())) = head;
    head = page.value();
    ++count;
  }
  KEXPECT_EQ(count, before.free_pages);
  KEXPECT_EQ(GetPmmStats().free_pages, 0u);
  KEXPECT(!AllocatePages(3, PageUse::kUser).ok());
  while (head != 0) {
    uint64_t next = *static_cast<uint64_t*>(PhysToVirt(head));
    KEXPECT(FreePages(head, 0).ok());
    head = next;
  }
  PmmStats after = GetPmmStats();
  KEXPECT_EQ(after.free_pages, before.free_pages);
  KEXPECT_EQ(after.used_pages[static_cast<unsigned>(PageUse::kUser)],
             before.used_pages[static_cast<unsigned>(PageUse::kUser)]);
  // Buddies merged again: a 2 MiB block is available.
  auto big = AllocatePages(9, PageUse::kKernel);
  KEXPECT(big.ok());
  if (big.ok()) KEXPECT(FreePages(big.value(), 9).ok());
}

KTEST(pmm, bad_frees_are_rejected) {
  auto page = AllocatePages(1, PageUse::kKernel);
  KASSERT(page.ok());
  KEXPECT(FreePages(page.value(), 0).error() == Error::kNotAllocated);           // wrong order
  KEXPECT(FreePages(page.value() + 0x1000, 0).error() == Error::kNotAllocated);  // mid-block
  KEXPECT(FreePages(page.value(), 1).ok());
  KEXPECT(FreePages(page.value(), 1).error() == Error::kNotAllocated);  // double free
  KEXPECT(!FreePages(0x1000, 0).ok());                            // below 1 MiB: never handed out
  KEXPECT(FreePages(1ull << 51, 0).error() == Error::kNotOwned);  // far beyond all memory
}

}  // namespace
}  // namespace hiillos::mm
