// kernel/object/pager_hook.cc — the scheduler's page-fault hook for user-space pagers
// (pager_hook.h).
#include "kernel/object/pager_hook.h"

#include "kernel/object/pager.h"
#include "kernel/object/process.h"
#include "kernel/object/thread.h"
#include "kernel/object/vmem.h"
#include "kernel/sched/scheduler.h"

namespace hiillos::object {
namespace {

bool OnPageFault(sched::Thread& core, uint64_t address, uint64_t access) {
  Thread& thread = Thread::FromCore(core);
  if (!thread.is_user()) return false;
  VmemPager& pager = thread.process().vmem().pager();
  return pager.Wait(thread.page_fault(), address, access) == FaultOutcome::kRetry;
}

}  // namespace

void InstallPagerHook() {
  sched::SetPageFaultHook(OnPageFault);
}

}  // namespace hiillos::object
