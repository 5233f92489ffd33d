// kernel/cap/kernel_table.cc — the global table and its SlotStorage (PMM page + KernelMap to
// commit; KernelUnmap, which flushes every CPU's TLB, + FreePages to decommit).
#include "kernel/cap/kernel_table.h"

#include "kernel/mm/kernel_space.h"
#include "kernel/mm/pmm.h"
#include "kernel/object/object_events.h"
#include "kernel/panic/assert.h"
#include "kernel/sched/scheduler.h"

namespace hiillos::cap {

CapabilityTable g_kernel_table;  // kernel_table.h

namespace {

// Capabilities deleted per lock hold when a process dies.
constexpr size_t kDeleteChunk = 16;

Result<void, Status> CommitPage(void* /*context*/, size_t page) {
  auto phys = mm::AllocatePages(0, mm::PageUse::kKernel);
  if (!phys.ok()) return Err(Status::kOutOfMemory);
  __builtin_memset(mm::PhysToVirt(phys.value()), 0, kPageSize);
  uint64_t virt = mm::kCapabilityRegionBase + page * kPageSize;
  auto mapped = mm::KernelMap(virt, phys.value(), kPageSize, {.writable = true, .global = true});
  if (!mapped.ok()) {
    auto freed = mm::FreePages(phys.value(), 0);
    (void)freed;
    return Err(Status::kOutOfMemory);
  }
  return Ok<Status>();
}

void DecommitPage(void* /*context*/, size_t page) {
  uint64_t virt = mm::kCapabilityRegionBase + page * kPageSize;
  auto translated = mm::KernelTranslate(virt);
  ASSERT(translated.ok(), "capability table: decommitting a page that is not mapped");
  auto unmapped = mm::KernelUnmap(virt, kPageSize);
  ASSERT(unmapped.ok(), "capability table: a committed page could not be unmapped");
  auto freed = mm::FreePages(translated.value().phys, 0);
  ASSERT(freed.ok(), "capability table: a committed page could not be freed");
}

}  // namespace

Result<void, Status> KernelTableInit() {
  SlotStorage storage;
  storage.base = reinterpret_cast<void*>(mm::kCapabilityRegionBase);
  storage.max_pages = mm::kCapabilityRegionSize / kPageSize;
  storage.commit_page = CommitPage;
  storage.decommit_page = DecommitPage;
  TRY(g_kernel_table.Init(storage));
  // Objects report unmaps and deaths; the table clears mapped marks and deletes capabilities.
  object::ObjectEvents events;
  events.mapping_removed = [](uint32_t handle, uint32_t cookie) {
    g_kernel_table.ClearMapped(handle, cookie);
  };
  // A dead process's capabilities go a bounded chunk at a time, with a preemption point between
  // chunks (pending interrupts are taken, a due reschedule happens): a process may own 10^5.
  events.process_dead = [](object::CapOwner& owner) {
    while (g_kernel_table.DeleteOwnedBy(owner, kDeleteChunk) != 0) sched::PreemptionPoint();
  };
  events.check_map_mark = [](uint64_t owner, uint32_t handle, const object::KernelObject* object) {
    return g_kernel_table.CheckUnmarked(owner, handle, object);
  };
  events.claim_map_mark = [](uint64_t owner, uint32_t handle, const object::KernelObject* object) {
    return g_kernel_table.ClaimMark(owner, handle, object);
  };
  object::SubscribeObjectEvents(events);
  return Ok<Status>();
}

}  // namespace hiillos::cap
