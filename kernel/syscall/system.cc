// kernel/syscall/system.cc — Yield, SystemInfo, SystemClock, SystemCpuTimes and
// SystemIrqOffStats: calls that need no capability.
#include "kernel/arch/cycle_counter.h"
#include "kernel/arch/idle_time.h"
#include "kernel/arch/irq_off.h"
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

KResult<void> SysSystemClock(user::UserOut<uapi::ClockInfo> out) {
  uapi::ClockInfo info{};
  info.tsc_hz = time::TscHz();
  info.tsc = arch::ReadCycleCounter();
  info.ns = time::NanosecondsAt(info.tsc);
  return user::CopyOut(out, info);
}

// Statistics, not authority: no capability (as SystemIrqOffStats).
KResult<void> SysSystemCpuTimes(user::UserOut<uapi::CpuTimes> out) {
  uapi::CpuTimes times{};
  times.cpus = uapi::kCpuTimesCpus < arch::kMaxCpus ? uapi::kCpuTimesCpus : arch::kMaxCpus;
  times.online_mask = sched::OnlineCpuMask();
  times.tsc = arch::ReadCycleCounter();
  for (uint32_t cpu = 0; cpu < times.cpus; ++cpu) {
    times.idle_ticks[cpu] = arch::IdleTicks(cpu, times.tsc);
    times.empty_wake_ticks[cpu] = arch::IdleEmptyWakeTicks(cpu);
  }
  return user::CopyOut(out, times);
}

static_assert(arch::kIrqOffFromSyscall == uapi::kIrqOffWhereSyscall << 56 &&
              arch::kIrqOffFromInterrupt == uapi::kIrqOffWhereInterrupt << 56 &&
              arch::kIrqOffFromWindow == uapi::kIrqOffWhereWindow << 56);

// Reading the maxima and resetting them are statistics, not authority: no capability.
KResult<void> SysSystemIrqOffStats(user::UserOut<uapi::IrqOffStats> out,
                                   object::BoundedValue<uapi::kIrqOffReset> reset) {
  uapi::IrqOffStats stats{};
  stats.cpus = uapi::kIrqOffStatsCpus < arch::kMaxCpus ? uapi::kIrqOffStatsCpus : arch::kMaxCpus;
  for (uint32_t cpu = 0; cpu < stats.cpus; ++cpu) {
    arch::IrqOffSample sample = arch::IrqOffMax(cpu);
    stats.cpu[cpu].max_ticks = sample.max_ticks;
    stats.cpu[cpu].where = sample.max_ticks == 0 ? 0 : sample.where;
  }
  TRY(user::CopyOut(out, stats));
  if (reset.value() == uapi::kIrqOffReset) arch::IrqOffReset();
  return Ok();
}

}  // namespace hiillos::syscall
