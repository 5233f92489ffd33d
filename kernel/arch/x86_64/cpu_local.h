// kernel/arch/x86_64/cpu_local.h — per-CPU index and current-thread slot through GS, for the
// arch::CpuLocal interface (kernel/arch/cpu_local.h).
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/percpu.h"

namespace hiillos::arch::x86_64 {

struct CpuLocal {
  static constexpr uint32_t kMaxCpus = arch::kMaxCpus;

  // Valid once PerCpuInit ran on this CPU (one %gs load).
  static uint32_t Index() { return CurrentCpu()->index; }
  // Safe anywhere (before PerCpuInit, in fault handlers): `fallback` when GS is not set up.
  static uint32_t IndexIfReady(uint32_t fallback) {
    PerCpu* cpu = CurrentCpuIfReady();
    return cpu != nullptr ? cpu->index : fallback;
  }
  // One GS-relative load, so a preemption cannot slip in between finding this CPU's record and
  // reading its current thread.
  static void* CurrentThread() {
    void* thread;
    asm volatile("movq %%gs:%c1, %0" : "=r"(thread) : "i"(kPerCpuCurrentThreadOffset));
    return thread;
  }
  static void SetCurrentThread(void* thread) { CurrentCpu()->current_thread = thread; }
};

}  // namespace hiillos::arch::x86_64
