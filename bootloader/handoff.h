// bootloader/handoff.h — the jump from the loader into the kernel.
//
// State at the kernel's entry point (boot protocol v1): long mode, interrupts disabled,
// CR3 = BootInfo::page_table_root, EFER.NXE = 1, CR0.WP = 1, RSP = top of a
// uapi::kKernelStackSize stack in the HHDM (16-byte aligned, nothing pushed), RDI = HHDM
// address of the BootInfo, RBP = 0. GDT, IDT and segment selectors are still the firmware's and
// live in memory the kernel may reclaim: the kernel loads its own before reclaiming it.
#pragma once

#include <stdint.h>

namespace hiillos::loader {

// Copies the trampoline code into `page` (4 KiB, executable in the firmware's page tables and
// identity-mapped executable in the kernel's).
void InstallTrampoline(uint64_t page);
uint64_t TrampolineSize();

struct HandOffState {
  uint64_t trampoline;       // physical = virtual address of the installed trampoline
  uint64_t page_table_root;  // physical address of the kernel's PML4
  uint64_t stack_top;        // HHDM virtual address
  uint64_t boot_info;        // HHDM virtual address
  uint64_t entry;            // kernel entry point (virtual)
};

// Call after ExitBootServices. Disables interrupts, sets EFER.NXE and CR0.WP, and jumps
// through the trampoline, which loads CR3, flushes global TLB entries, switches the stack and
// enters the kernel.
[[noreturn]] void HandOff(const HandOffState& state);

}  // namespace hiillos::loader
