// kernel/main.cc — KernelMain: the C++ entry after entry.S; brings the kernel up in order.
//
// Boot sequence (each stage lives in its own subsystem; keep this file a list of calls):
//   1. log + clock            serial log, TSC calibration
//   2. boot info              validate the loader's BootInfo, print the banner
//   3. cpu                    GDT/TSS/IDT, CPU protection features, per-CPU data (arch)
//   4. memory                 PMM from the memory map, kernel page tables (mm)
//   5. platform               ACPI, APIC, HPET, timers, other CPUs (arch/acpi/time)
//   6. scheduler              run queues, idle threads on every CPU; the rest of the boot
//                             continues in the kernel thread "main" (sched)
//   7. tests                  `hiillos.test=ktest` runs the in-kernel tests
//   8. user space             the root process from the root.elf boot module (kernel/boot)
#include <stdint.h>

#include "kernel/acpi/platform_acpi.h"
#include "kernel/arch/clock_source.h"
#include "kernel/arch/cross_call.h"
#include "kernel/arch/interrupts.h"
#include "kernel/arch/machine_exit.h"
#include "kernel/arch/platform.h"
#include "kernel/arch_services.h"
#include "kernel/boot/banner.h"
#include "kernel/boot/boot_info_check.h"
#include "kernel/boot/boot_state.h"
#include "kernel/boot/command_line.h"
#include "kernel/boot/crash_switch.h"
#include "kernel/boot/root_process.h"
#include "kernel/boot/time_init.h"
#include "kernel/cap/kernel_table.h"
#include "kernel/lib/log.h"
#include "kernel/mm/kernel_space.h"
#include "kernel/mm/pmm.h"
#include "kernel/object/pager_hook.h"
#include "kernel/object/thread.h"
#include "kernel/panic/panic.h"
#include "kernel/sched/scheduler.h"
#include "kernel/test/ktest_runner.h"
#include "kernel/time/clock.h"
#include "uapi/boot_info.h"

namespace hiillos {
namespace {

// In test builds (`hiillos.test=...` on the command line) every verdict ends the QEMU run.
[[noreturn]] void Finish(bool test_mode, bool passed) {
  if (test_mode) arch::ExitMachine(passed);
  klog::Log("boot", "halting");
  arch::HaltForever();
}

}  // namespace
}  // namespace hiillos

namespace {
constexpr unsigned kBootStackOrder = 4;  // 64 KiB kernel stack for the boot CPU
[[noreturn]] void KernelMainOnKernelStack(void*);
void KernelMainThread(void*);
}  // namespace

extern "C" [[noreturn]] void KernelMain(const hiillos::uapi::BootInfo* info) {
  using namespace hiillos;
  // 1. log + clock
  InstallArchServices();
  klog::Init();
  uint64_t tsc_hz = arch::MeasureTscHzWithPit(10);
  time::ClockInit(tsc_hz, info->magic == uapi::kBootInfoMagic ? info->tsc_loader_start : 0);

  // 2. boot info
  auto check = boot::CheckBootInfo(*info);
  if (!check.ok()) {
    klog::Log("boot", "invalid BootInfo: %s", boot::BootInfoErrorString(check.error()));
    Finish(true, false);
  }
  boot::SaveBootInfo(*info);
  info = &boot::SavedBootInfo();  // the loader's copy is reclaimed in stage 4
  boot::CommandLine cmdline(info->command_line, uapi::kCommandLineSize);
  bool test_mode = cmdline.Has("hiillos.test");
  klog::Log("time", "TSC %lu kHz (calibrated against the PIT)", tsc_hz / 1000);
  boot::PrintBanner(*info);

  // 3. cpu
  panic::SetTestMode(test_mode);
  arch::PerCpuInit(0, arch::BootCpuLapicId());

  // 4. memory
  if (auto pmm = mm::PmmInit(*info); !pmm.ok()) {
    panic::Panic("mm: cannot build the physical memory manager (error %u)",
                 static_cast<unsigned>(pmm.error()));
  }
  if (auto space = mm::KernelSpaceInit(*info); !space.ok()) {
    panic::Panic("mm: cannot build the kernel page tables (error %u)",
                 static_cast<unsigned>(space.error()));
  }
  // Leave the loader's boot stack (boot data) for a kernel stack, then reclaim boot data.
  auto stack = mm::AllocatePages(kBootStackOrder, mm::PageUse::kKernel);
  if (!stack.ok()) panic::Panic("mm: no memory for the kernel stack");
  SwitchStackAndCall(
      reinterpret_cast<uint64_t>(mm::PhysToVirt(stack.value())) + (0x1000ull << kBootStackOrder),
      KernelMainOnKernelStack, nullptr);
}

namespace {

void KernelMainOnKernelStack(void*) {
  using namespace hiillos;
  const uapi::BootInfo* info = &boot::SavedBootInfo();
  if (auto released = mm::ReleaseBootData(); !released.ok()) {
    panic::Panic("mm: cannot reclaim boot data (error %u)",
                 static_cast<unsigned>(released.error()));
  }
  mm::PmmStats stats = mm::GetPmmStats();
  klog::Log("mm",
            "physical memory: %lu KiB managed, %lu KiB free, %lu KiB kernel, %lu KiB page tables",
            stats.total_pages * 4, stats.free_pages * 4,
            stats.used_pages[static_cast<unsigned>(mm::PageUse::kKernel)] * 4,
            stats.used_pages[static_cast<unsigned>(mm::PageUse::kPageTable)] * 4);
  if (auto table = cap::KernelTableInit(); !table.ok()) {
    panic::Panic("cap: cannot set up the capability table (%s)", uapi::StatusName(table.error()));
  }

  // 5. platform
  const acpi::AcpiInfo& acpi_info = acpi::PlatformAcpiInit(*info);
  arch::InterruptControllersInit(acpi_info.madt);
  panic::SetHaltOtherCpusHook(arch::HaltOtherCpus);  // NMIs, once IPIs are set up
  boot::PlatformTimeInit(acpi_info);
  arch::SmpInit(acpi_info.madt, *info);
  arch::EnableInterrupts();  // the boot CPU takes its tick and IPIs from here on

  // 6. scheduler
  sched::Init();
  object::InstallPagerHook();
  sched::InitCpu(0);
  arch::SetApIdleHook([](uint32_t cpu) {
    sched::InitCpu(cpu);
    sched::RunScheduler();
  });
  sched::JoinOnlineCpus();
  {
    // Pinned to the boot CPU: the boot sequence and the in-kernel tests expect to stay on one
    // CPU. Once started the scheduler keeps it; this reference goes at the end of the block.
    auto main_thread = object::Thread::CreateKernel("main", KernelMainThread, nullptr);
    if (!main_thread.ok() || !main_thread.value()->SetAffinity(1).ok() ||
        !main_thread.value()->Start().ok()) {
      panic::Panic("sched: cannot start the main kernel thread");
    }
  }
  sched::RunScheduler();  // this boot context becomes CPU 0's idle loop
}

void KernelMainThread(void*) {
  using namespace hiillos;
  const uapi::BootInfo* info = &boot::SavedBootInfo();
  boot::CommandLine cmdline(info->command_line, uapi::kCommandLineSize);
  bool test_mode = cmdline.Has("hiillos.test");

  // 7. tests or user space
  boot::CrashIfRequested(cmdline);  // `hiillos.crash=...`: deliberate faults, after full boot
  if (cmdline.Equals("hiillos.test", "boot")) {
    klog::Log("test", "boot self-check passed");
    Finish(test_mode, true);
  }
  if (cmdline.Equals("hiillos.test", "ktest")) {
    char filter[64] = "";
    if (!cmdline.Get("ktest.filter", filter, sizeof(filter))) filter[0] = '\0';
    ktest::Summary summary = ktest::RunAll(filter);
    Finish(true, summary.failed == 0 && summary.passed > 0);
  }

  // 8. user space: the root process from root.elf. In any other test run (`hiillos.test=`
  // conformance, bench, ...) root.elf is the test program and its exit decides the verdict
  // (boot::RootOptions). This kernel thread ends here, the system runs on.
  boot::RootOptions options;
  options.exit_qemu_on_death = test_mode;
  if (auto root = boot::StartRootProcess(*info, options); !root.ok()) {
    klog::Log("user", "cannot start the root process (%s)", uapi::StatusName(root.error()));
    Finish(test_mode, false);
  }
}

}  // namespace
