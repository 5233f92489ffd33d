// kernel/syscall/system.cc — Yield and SystemInfo: calls that need no capability.
#include "kernel/cap/kernel_table.h"
#include "kernel/mm/object_allocator.h"
#include "kernel/mm/pmm.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/time/clock.h"
#include "kernel/user/user_copy.h"

namespace hiillos::syscall {

// Gives up the rest of the time slice.
KResult<void> SysYield() {
  sched::Yield();
  return Ok();
}

KResult<void> SysSystemInfo(user::UserOut<uapi::SystemInfo> out) {
  uapi::SystemInfo info{};
  info.capability_slots_used = cap::KernelTable().UsedSlots();
  info.cpus_online = static_cast<uint64_t>(__builtin_popcountll(sched::OnlineCpuMask()));
  info.uptime_ns = time::NowNanoseconds();
  info.objects_live = mm::GetObjectAllocatorStats().live_objects;
  const mm::PmmStats pmm = mm::GetPmmStats();
  info.free_pages = pmm.free_pages;
  info.total_pages = pmm.total_pages;
  info.kernel_pages = pmm.used_pages[static_cast<unsigned>(mm::PageUse::kKernel)];
  info.page_table_pages = pmm.used_pages[static_cast<unsigned>(mm::PageUse::kPageTable)];
  info.user_pages = pmm.used_pages[static_cast<unsigned>(mm::PageUse::kUser)];
  info.object_pages = pmm.used_pages[static_cast<unsigned>(mm::PageUse::kObject)];
  info.capability_pages = cap::KernelTable().CommittedPages();
  return user::CopyOut(out, info);
}

}  // namespace hiillos::syscall
