// kernel/arch/x86_64/cpu_init.cc — the per-CPU bring-up sequence (cpu_init.h).
#include "kernel/arch/x86_64/cpu_init.h"

#include "kernel/arch/x86_64/cpu_features.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/kernel_services.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/syscall_init.h"
#include "lib/x86/cpu.h"

namespace hiillos::arch {

uint32_t BootCpuLapicId() {
  return x86::Cpuid(1).ebx >> 24;
}

void PerCpuInit(uint32_t index, uint32_t lapic_id) {
  if (index >= kMaxCpus)
    kernel_services::Panic("PerCpuInit: cpu index %u >= kMaxCpus (%u)", index, kMaxCpus);
  Tss* tss = GdtLoad(index);
  PerCpuInstall(index, lapic_id, tss);
  IdtLoad();
  if (index == 0) SetFeatures(CpuFeaturesDetect());
  CpuFeaturesEnable(Features());
  SyscallInitCpu();
  if (index == 0) {
    char text[160];
    DescribeFeatures(Features(), text, sizeof(text));
    kernel_services::Log("cpu", "features %s", text);
  }
}

}  // namespace hiillos::arch
