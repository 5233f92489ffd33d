// kernel/arch/x86_64/address_space.h — CR3 switching and TLB invalidation for the
// arch::AddressSpaceControl interface (kernel/arch/address_space.h). SDM Vol.3A §4.10.4.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/mmu.h"
#include "kernel/arch/x86_64/tlb.h"
#include "lib/base/page_size.h"
#include "lib/x86/cpu.h"

namespace hiillos::arch::x86_64 {

struct AddressSpaceControl {
  static constexpr uint64_t kRootMask = 0x000f'ffff'ffff'f000ull;  // CR3 bits 51:12
  // Above this many pages one CR3 reload is cheaper than INVLPG per page.
  static constexpr uint64_t kMaxSinglePageFlushes = 32;

  static uint64_t ActiveRoot() { return ReadCr3() & kRootMask; }
  // Loading CR3 flushes all non-global translations.
  static void Activate(uint64_t root) { WriteCr3(root); }
  // Drops this CPU's translations of [base, base + size) if `root` is the active address space
  // (user pages are never global, so a CR3 reload drops all of them).
  static void FlushLocal(uint64_t root, uint64_t base, uint64_t size) {
    uint64_t cr3 = ReadCr3();
    if ((cr3 & kRootMask) != root) return;
    if (size / kPageSize > kMaxSinglePageFlushes) {
      WriteCr3(cr3);
      return;
    }
    for (uint64_t offset = 0; offset < size; offset += kPageSize) InvalidatePage(base + offset);
  }
  // Kernel-half translations on every online CPU (tlb.h).
  static void ShootdownKernel(uint64_t virt, uint64_t pages) { TlbShootdown(virt, pages); }
  static bool HasGigabytePages() { return x86::HasGigabytePages(); }
};

}  // namespace hiillos::arch::x86_64
