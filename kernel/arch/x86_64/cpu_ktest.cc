// kernel/arch/x86_64/cpu_ktest.cc — in-kernel tests: features, per-CPU GS data, GDT/TSS/IDT state.
#include <stdint.h>

#include "kernel/arch/x86_64/cpu_features.h"
#include "kernel/arch/x86_64/cpu_init.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/segments.h"
#include "kernel/arch/x86_64/user_access.h"
#include "kernel/test/ktest.h"
#include "lib/x86/control_registers.h"
#include "lib/x86/cpu.h"
#include "lib/x86/msr.h"

namespace hiillos::arch {
namespace {

struct [[gnu::packed]] TablePointer {
  uint16_t limit;
  uint64_t base;
};

uint16_t ReadSegment(int which) {
  uint16_t value = 0;
  switch (which) {
    case 0:
      asm volatile("mov %%cs, %0" : "=r"(value));
      break;
    case 1:
      asm volatile("mov %%ss, %0" : "=r"(value));
      break;
    case 2:
      asm volatile("mov %%ds, %0" : "=r"(value));
      break;
    default:
      asm volatile("str %0" : "=r"(value));
      break;
  }
  return value;
}

}  // namespace

KTEST(cpu, features_enabled_as_reported) {
  const CpuFeatures& f = Features();
  KEXPECT_EQ((x86::ReadMsr(x86::kMsrEfer) & x86::kEferNxe) != 0, f.nx);
  KEXPECT((x86::ReadCr0() & x86::kCr0WriteProtect) != 0);
  uint64_t cr4 = x86::ReadCr4();
  KEXPECT_EQ((cr4 & x86::kCr4Smep) != 0, f.smep);
  KEXPECT_EQ((cr4 & x86::kCr4Smap) != 0, f.smap);
  KEXPECT_EQ((cr4 & x86::kCr4Umip) != 0, f.umip);
  KEXPECT_EQ((cr4 & x86::kCr4FsGsBase) != 0, f.fsgsbase);
  KEXPECT_EQ(internal::g_smap_enabled, f.smap);
  // Outside user-access windows AC must be clear, or SMAP would be void.
  KEXPECT_EQ(x86::ReadRflags() & x86::kRflagsAlignmentCheck, 0u);
}

KTEST(cpu, feature_record_matches_cpuid) {
  CpuFeatures now = CpuFeaturesDetect();
  const CpuFeatures& boot = Features();
  KEXPECT_EQ(now.nx, boot.nx);
  KEXPECT_EQ(now.smep, boot.smep);
  KEXPECT_EQ(now.smap, boot.smap);
  KEXPECT_EQ(now.umip, boot.umip);
  KEXPECT_EQ(now.fsgsbase, boot.fsgsbase);
  KEXPECT_EQ(now.pages_1g, boot.pages_1g);
  // NX is architecturally required by our loader (it maps data NX); a CPU without it would not
  // have booted this far with W^X page tables.
  KEXPECT(boot.nx);
  char text[160];
  DescribeFeatures(boot, text, sizeof(text));
  KEXPECT(text[0] == 'n' && text[1] == 'x');
}

KTEST(cpu, percpu_self_pointer_through_gs) {
  PerCpu* cpu = CurrentCpu();
  KASSERT(cpu != nullptr);
  KEXPECT(cpu->self == cpu);
  KEXPECT(CurrentCpuIfReady() == cpu);
  KEXPECT_EQ(x86::ReadMsr(x86::kMsrGsBase), reinterpret_cast<uint64_t>(cpu));
  KEXPECT_EQ(x86::ReadMsr(x86::kMsrKernelGsBase), 0u);  // no user GS yet
  KEXPECT(&PerCpuRecord(cpu->index) == cpu);
  KEXPECT(cpu->initialized.Load(MemoryOrder::kAcquire));
  KEXPECT(cpu->index < OnlineCpuCount());
  KEXPECT(cpu->probe.Load(MemoryOrder::kRelaxed) == nullptr);
  if (cpu->index == 0) KEXPECT_EQ(cpu->lapic_id, BootCpuLapicId());
  // The fields assembly relies on, read through GS directly.
  uint64_t self_via_gs;
  asm volatile("movq %%gs:%c1, %0" : "=r"(self_via_gs) : "i"(kPerCpuSelfOffset));
  KEXPECT_EQ(self_via_gs, reinterpret_cast<uint64_t>(cpu));
  if (Features().fsgsbase) {
    uint64_t base;
    asm volatile("rdgsbase %0" : "=r"(base));
    KEXPECT_EQ(base, reinterpret_cast<uint64_t>(cpu));
  }
}

KTEST(cpu, gdt_tss_and_idt_are_loaded) {
  PerCpu* cpu = CurrentCpu();
  TablePointer gdt{}, idt{};
  asm volatile("sgdt %0" : "=m"(gdt));
  asm volatile("sidt %0" : "=m"(idt));
  KEXPECT_EQ(gdt.base, GdtAddress(cpu->index));
  KEXPECT_EQ(gdt.limit, kGdtSlotCount * 8 - 1);
  KEXPECT_EQ(idt.base, IdtAddress());
  KEXPECT_EQ(idt.limit, 256 * 16 - 1);
  KEXPECT_EQ(ReadSegment(0), kKernelCodeSelector);
  KEXPECT_EQ(ReadSegment(1), kKernelDataSelector);
  KEXPECT_EQ(ReadSegment(2), kKernelDataSelector);
  KEXPECT_EQ(ReadSegment(3), kTssSelector);
  // The TSS descriptor is busy (type 0xb) once loaded.
  const uint64_t* entries = reinterpret_cast<const uint64_t*>(gdt.base);
  KEXPECT_EQ((entries[kGdtTss] >> 40) & 0xf, 0xbu);
  KEXPECT_EQ(entries[kGdtUserCode], CodeDescriptor(3));
}

KTEST(cpu, tss_ist_stacks_and_canaries) {
  PerCpu* cpu = CurrentCpu();
  KASSERT(cpu->tss != nullptr);
  for (uint8_t ist = 1; ist <= kIstCount; ++ist) {
    // Not inside any IST handler: every pointer is at its stack top, 16-byte aligned.
    KEXPECT_EQ(cpu->tss->ist[ist - 1], IstStackTop(cpu->index, ist));
    KEXPECT_EQ(cpu->tss->ist[ist - 1] % 16, 0u);
    KEXPECT_EQ(IstStackTop(cpu->index, ist) - IstStackBottom(cpu->index, ist), kIstStackSize);
    KEXPECT_EQ(cpu->ist_depth[ist - 1], 0u);
  }
  // No I/O bitmap (beyond the limit), or the one right after the TSS while a thread granted
  // ports runs (io_permission.h).
  KEXPECT(cpu->tss->io_map_base == kIoMapDisabled || cpu->tss->io_map_base == kIoMapOffset);
  KEXPECT_EQ(kIoMapOffset, sizeof(Tss));
  KEXPECT(IstCanariesIntact(cpu->index));
}

KTEST(cpu, user_access_guard_toggles_ac) {
  KEXPECT_EQ(x86::ReadRflags() & x86::kRflagsAlignmentCheck, 0u);
  {
    UserAccessGuard guard;
    uint64_t inside = x86::ReadRflags() & x86::kRflagsAlignmentCheck;
    KEXPECT_EQ(inside != 0, Features().smap);
  }
  KEXPECT_EQ(x86::ReadRflags() & x86::kRflagsAlignmentCheck, 0u);
}

}  // namespace hiillos::arch
