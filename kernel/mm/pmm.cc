// kernel/mm/pmm.cc — global buddy allocator instance, built from BootInfo at boot.
#include "kernel/mm/pmm.h"

#include "kernel/arch/spinlock.h"
#include "kernel/mm/buddy_allocator.h"
#include "kernel/mm/memory_map.h"

namespace hiillos::mm {
namespace {

constexpr size_t kMaxRanges = uapi::kMaxMemoryRanges;

IrqSpinLock g_lock;
BuddyAllocator g_allocator TA_GUARDED(g_lock);
// Boot data ranges held at PmmInit, released by ReleaseBootData. Boot CPU only, before SMP.
PhysRange g_held[kMaxRanges];
size_t g_held_count = 0;
uint64_t g_metadata_pages = 0;

}  // namespace

Result<void, Error> PmmInit(const uapi::BootInfo& info) {
  static PhysRange free_ranges[kMaxRanges];  // boot CPU only; no stack space for 4 KiB arrays
  const PhysRange low_memory = {0, 0x10'0000};
  UsableRangeOptions options;
  options.include_loader_reclaimable = true;
  options.exclude = &low_memory;
  options.exclude_count = 1;
  size_t count = TRY(UsableRanges(info, options, free_ranges, kMaxRanges));

  g_held_count = 0;
  for (uint32_t i = 0; i < info.memory_range_count && g_held_count < kMaxRanges; ++i) {
    const auto& range = info.memory_map[i];
    if (range.kind == uapi::MemoryKind::kBootData && range.base >= low_memory.size) {
      g_held[g_held_count++] = {range.base, range.size};
    }
  }
  // Metadata size depends on the span, which carving does not change (it only shrinks ranges).
  uint64_t bytes = TRY(BuddyAllocator::MetadataBytes(free_ranges, count, g_held, g_held_count));
  uint64_t rounded = (bytes + kPageSize - 1) & ~(kPageSize - 1);
  uint64_t metadata_phys = TRY(CarveFromRanges(free_ranges, count, rounded));
  g_metadata_pages = rounded / kPageSize;
  IrqSpinLockGuard guard(g_lock);
  return g_allocator.Init(free_ranges, count, g_held, g_held_count, PhysToVirt(metadata_phys),
                          rounded);
}

Result<uint64_t, Error> AllocatePages(unsigned order, PageUse use) {
  IrqSpinLockGuard guard(g_lock);
  return g_allocator.Allocate(order, use);
}

Result<void, Error> FreePages(uint64_t phys, unsigned order) {
  IrqSpinLockGuard guard(g_lock);
  return g_allocator.Free(phys, order);
}

Result<void, Error> ReleaseBootData() {
  IrqSpinLockGuard guard(g_lock);
  for (size_t i = 0; i < g_held_count; ++i) TRY(g_allocator.ReleaseHeld(g_held[i]));
  g_held_count = 0;
  return {};
}

PmmStats GetPmmStats() {
  IrqSpinLockGuard guard(g_lock);
  PmmStats stats{};
  stats.total_pages = g_allocator.total_pages();
  stats.free_pages = g_allocator.free_pages();
  for (unsigned use = 0; use < kPageUseCount; ++use) {
    stats.used_pages[use] = g_allocator.used_pages(static_cast<PageUse>(use));
  }
  stats.metadata_pages = g_metadata_pages;
  return stats;
}

}  // namespace hiillos::mm
