// kernel/object/pager_hook.h — connects the scheduler's page-fault hook to user-space pagers
// (kernel/object/pager.h): a user thread's fault on a page that is not present waits for its
// Vmem's pager when it has one.
#pragma once

namespace hiillos::object {

// Installs the hook (boot, once, after sched::Init).
void InstallPagerHook();

}  // namespace hiillos::object
