// kernel/arch/x86_64/cpu_init.h — PerCpuInit: bring one CPU into the kernel's CPU state.
#pragma once

#include <stdint.h>

namespace hiillos::arch {

// Per-CPU bring-up, once on every CPU, boot CPU first (index 0), then each AP from the SMP
// code, with interrupts off:
//   1. GDT + TSS with IST stacks (segments reloaded, LTR)     gdt.h
//   2. IA32_GS_BASE -> this CPU's PerCpu (KERNEL_GS_BASE = 0)  percpu.h
//   3. IDT (built on the first call, shared)                   idt.h
//   4. NX, WP, SMEP, SMAP, UMIP, FSGSBASE as detected by CPU 0 cpu_features.h
// On CPU 0 it also detects the features and logs "cpu: features ..." once.
// `index` < kMaxCpus, dense; `lapic_id` from the MADT (or BootCpuLapicId() on CPU 0).
void PerCpuInit(uint32_t index, uint32_t lapic_id);

// The initial local APIC ID of the calling CPU (CPUID.1:EBX[31:24]).
uint32_t BootCpuLapicId();

}  // namespace hiillos::arch
