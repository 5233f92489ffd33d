// kernel/arch/x86_64/smp.h — starting the application processors (INIT-SIPI-SIPI through a
// real-mode trampoline below 1 MiB) and the idle loop they run.
//
// Ownership: the start-up state (trampoline pages, per-AP records) is written by the boot CPU
// during SmpInit and by each AP for itself while it starts; SmpInit starts one AP at a time and
// returns after the last one is online or given up. Afterwards everything is read-only.
#pragma once

#include <stdint.h>

#include "lib/acpi/madt.h"
#include "uapi/boot_info.h"

namespace hiillos::arch {

// Boot CPU, once, interrupts off, after the interrupt controllers and timers are set up:
// starts every enabled CPU in `madt` other than itself (indices 1, 2, ... in MADT order, dense
// over the CPUs that come up). Each AP gets a 64 KiB kernel stack from the PMM, runs
// PerCpuInit, loads the kernel page tables, enables its local APIC and tick, marks itself online
// and idles. Logs "cpuN online (lapic id X)" per AP and "smp: N of M CPUs online".
// `info` supplies the memory map (the trampoline's pages below 1 MiB).
void SmpInit(const acpi::Madt& madt, const uapi::BootInfo& info);

// CPUs the MADT lists as enabled (1 without a MADT); ipi.h OnlineCpus() says how many came up.
uint32_t SmpExpectedCpus();

// The physical page the trampoline runs from (0 before SmpInit or if none was free).
uint64_t SmpTrampolinePage();

// Idle: interrupts on, HLT until the next interrupt, forever — or, once a hook is set, the
// hook (which must not return), entered at the next wake-up of each idling AP.
[[noreturn]] void IdleForever();

// The scheduler's per-CPU entry for APs (sched::InitCpu + RunScheduler): APs idle until it is
// set (stage 6), then call it with their CPU index from IdleForever.
using ApIdleHook = void (*)(uint32_t cpu_index);
void SetApIdleHook(ApIdleHook hook);

}  // namespace hiillos::arch
