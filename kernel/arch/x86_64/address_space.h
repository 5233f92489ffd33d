// kernel/arch/x86_64/address_space.h — CR3 switching and TLB invalidation for the
// arch::AddressSpaceControl interface (kernel/arch/address_space.h). SDM Vol.3A §4.10.4.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/mmu.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/tlb.h"
#include "lib/base/atomic.h"
#include "lib/base/page_size.h"
#include "lib/x86/cpu.h"

namespace hiillos::arch::x86_64 {

struct AddressSpaceControl {
  static constexpr uint64_t kRootMask = 0x000f'ffff'ffff'f000ull;  // CR3 bits 51:12

  static uint64_t ActiveRoot() { return ReadCr3() & kRootMask; }
  // Loading CR3 flushes all non-global translations. The new root is published first (and the
  // old one kept as leaving_root until the write) so that ShootdownUserRange finds every CPU that
  // may hold translations of a root (tlb.h). Interrupts off; per-CPU data set up.
  static void Activate(uint64_t root) {
    PerCpu* cpu = CurrentCpu();
    cpu->leaving_root.Store(cpu->active_root.Load(MemoryOrder::kRelaxed), MemoryOrder::kRelaxed);
    cpu->active_root.Store(root, MemoryOrder::kRelease);  // after leaving_root
    WriteCr3(root);  // serialising: both stores are visible before any walk through `root`
    cpu->leaving_root.Store(0, MemoryOrder::kRelease);
  }
  // Drops the translations of [base, base + size) of the address space at `root` on every CPU
  // that has it loaded (tlb.h: ShootdownUserRange).
  static void Shootdown(uint64_t root, uint64_t base, uint64_t size) {
    ShootdownUserRange(root, base, size);
  }
  // Kernel-half translations on every online CPU (tlb.h).
  static void ShootdownKernel(uint64_t virt, uint64_t pages) { TlbShootdown(virt, pages); }
  static bool HasGigabytePages() { return x86::HasGigabytePages(); }
};

}  // namespace hiillos::arch::x86_64
