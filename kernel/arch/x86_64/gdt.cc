// kernel/arch/x86_64/gdt.cc — per-CPU GDT/TSS/IST storage and LGDT/LTR (SDM Vol.3A §3.4, §7.7).
#include "kernel/arch/x86_64/gdt.h"

#include <stddef.h>

namespace hiillos::arch {
namespace {

struct alignas(16) Gdt {
  uint64_t entries[kGdtSlotCount];
};

struct [[gnu::packed]] DescriptorTablePointer {
  uint16_t limit;
  uint64_t base;
};

Gdt g_gdt[kMaxCpus];
// Each TSS is followed by its I/O permission bitmap inside the segment limit, and by the
// all-ones byte the CPU may read past the bitmap's end (SDM Vol.1 §19.5.2); io_permission.h.
struct [[gnu::packed]] TssWithIoMap {
  Tss tss;
  uint8_t io_map[kIoMapBytes + 1];
};
static_assert(offsetof(TssWithIoMap, io_map) == kIoMapOffset);
alignas(64) TssWithIoMap g_tss[kMaxCpus];
// The CPU aligns RSP down to 16 bytes on interrupt entry; tops are 4 KiB aligned.
alignas(4096) uint8_t g_ist_stacks[kMaxCpus][kIstCount][kIstStackSize];

void LoadSegments() {
  // CS via a far return; data segments: kernel data for SS/DS/ES (SS must be a writable data
  // segment or null at CPL 0), null for FS/GS (their bases live in MSRs).
  asm volatile(
      "pushq %[cs]\n"
      "leaq 1f(%%rip), %%rax\n"
      "pushq %%rax\n"
      "lretq\n"
      "1:\n"
      "movw %w[ds], %%ax\n"
      "movw %%ax, %%ds\n"
      "movw %%ax, %%es\n"
      "movw %%ax, %%ss\n"
      "xorl %%eax, %%eax\n"
      "movw %%ax, %%fs\n"
      "movw %%ax, %%gs\n"
      :
      : [cs] "i"(kKernelCodeSelector), [ds] "r"(static_cast<uint32_t>(kKernelDataSelector))
      : "rax", "memory");
}

}  // namespace

uint64_t IstOwnerPerCpu(uint64_t rsp) {
  uint64_t first = reinterpret_cast<uint64_t>(&g_ist_stacks[0][0][0]);
  constexpr uint64_t kPerCpuBytes = sizeof(g_ist_stacks[0]);
  if (rsp <= first || rsp > first + kMaxCpus * kPerCpuBytes) return 0;
  // RSP is below the top of the stack the CPU switched to (the top itself belongs to it).
  uint64_t index = (rsp - 1 - first) / kPerCpuBytes;
  PerCpu& cpu = PerCpuRecord(static_cast<uint32_t>(index));
  if (!cpu.initialized.Load(MemoryOrder::kAcquire)) return 0;
  return reinterpret_cast<uint64_t>(&cpu);
}

uint64_t IstStackBottom(uint32_t index, uint8_t ist) {
  return reinterpret_cast<uint64_t>(&g_ist_stacks[index][ist - 1][0]);
}

uint64_t IstStackTop(uint32_t index, uint8_t ist) {
  return IstStackBottom(index, ist) + kIstStackSize;
}

bool IstCanariesIntact(uint32_t index) {
  for (uint8_t ist = 1; ist <= kIstCount; ++ist) {
    if (*reinterpret_cast<volatile uint64_t*>(IstStackBottom(index, ist)) != kIstCanary) {
      return false;
    }
  }
  return true;
}

uint64_t GdtAddress(uint32_t index) {
  return reinterpret_cast<uint64_t>(&g_gdt[index]);
}

uint8_t* TssIoMap(uint32_t index) {
  return g_tss[index].io_map;
}

Tss* GdtLoad(uint32_t index) {
  Gdt& gdt = g_gdt[index];
  Tss& tss = g_tss[index].tss;
  tss = Tss{};
  tss.io_map_base = kIoMapDisabled;  // no port access from ring 3 until a thread is granted some
  __builtin_memset(g_tss[index].io_map, 0xff, sizeof(g_tss[index].io_map));
  for (uint8_t ist = 1; ist <= kIstCount; ++ist) {
    *reinterpret_cast<volatile uint64_t*>(IstStackBottom(index, ist)) = kIstCanary;
    tss.ist[ist - 1] = IstStackTop(index, ist);
  }

  gdt.entries[kGdtNull] = 0;
  gdt.entries[kGdtKernelCode] = CodeDescriptor(0);
  gdt.entries[kGdtKernelData] = DataDescriptor(0);
  gdt.entries[kGdtUserBase] = 0;
  gdt.entries[kGdtUserData] = DataDescriptor(3);
  gdt.entries[kGdtUserCode] = CodeDescriptor(3);
  TssDescriptor tss_desc =
      MakeTssDescriptor(reinterpret_cast<uint64_t>(&tss), sizeof(TssWithIoMap) - 1);
  gdt.entries[kGdtTss] = tss_desc.low;
  gdt.entries[kGdtTss + 1] = tss_desc.high;

  DescriptorTablePointer pointer{sizeof(Gdt) - 1, reinterpret_cast<uint64_t>(&gdt)};
  asm volatile("lgdt %0" : : "m"(pointer) : "memory");
  LoadSegments();
  asm volatile("ltr %w0" : : "r"(static_cast<uint32_t>(kTssSelector)) : "memory");
  return &tss;
}

}  // namespace hiillos::arch

// Called by ParanoidCommon (interrupt_entry.S) before GS is known to be the kernel's: touches
// no GS-relative data.
extern "C" uint64_t ParanoidKernelGsBase(uint64_t rsp) {
  return hiillos::arch::IstOwnerPerCpu(rsp);
}
