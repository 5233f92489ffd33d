// kernel/arch/x86_64/gdt.h — per-CPU GDT and TSS with static IST stacks; loading them.
//
// Every CPU gets its own GDT (the TSS descriptor's busy bit is per CPU) and TSS, in static
// storage for kMaxCpus CPUs. IST stacks (kIstCount per CPU, kIstStackSize each) serve #DF, NMI,
// #MC and #PF, so those run on a known-good stack even when the interrupted RSP is garbage.
//
// Guard-less design: there is no VMM yet, so the stacks are plain .bss arrays without guard
// pages; overflowing one would silently run into its neighbour. Instead each stack's lowest
// word holds a canary (kIstCanary), checked when a handler on that stack returns and in the
// panic dump; a broken canary is a panic. Handlers on an IST stack are shallow (the deepest
// path is the panic dump, a few KiB). Nesting: the CPU always starts an IST handler at the IST
// pointer, so a #PF inside the #PF handler would overwrite the first frame; the dispatcher
// lowers the TSS IST pointer by kIstStackSize / kIstNestingLevels while a handler runs (see
// interrupt_dispatch.cc), allowing kIstNestingLevels levels; deeper nesting halts.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/segments.h"

namespace hiillos::arch {

inline constexpr uint64_t kIstCanary = 0x5354'4143'4b5f'4953ull;  // "IS_KCATS"
inline constexpr uint32_t kIstNestingLevels = 2;

// The I/O permission bitmap after each TSS: one bit per port (1 = ring 3 may not use it),
// at TSS offset kIoMapOffset. TSS.io_map_base = kIoMapDisabled (beyond the segment limit)
// means no bitmap: every port access from ring 3 raises #GP.
inline constexpr uint32_t kIoMapBytes = 0x10000 / 8;
inline constexpr uint16_t kIoMapOffset = sizeof(Tss);
inline constexpr uint16_t kIoMapDisabled = 0xffff;
// CPU `index`'s bitmap (kIoMapBytes; io_permission.cc loads it).
uint8_t* TssIoMap(uint32_t index);

// Fills CPU `index`'s GDT and TSS (IST pointers at the tops of its stacks, canaries written),
// loads the GDT (LGDT), reloads CS (far return) and DS/ES/SS/FS/GS with kernel data / null
// selectors, and loads the TSS (LTR). Clears the GS base: call before PerCpuInstall. Once per
// CPU (LTR marks the descriptor busy).
Tss* GdtLoad(uint32_t index);

// Bounds of IST stack `ist` (1-based) of CPU `index`.
uint64_t IstStackTop(uint32_t index, uint8_t ist);
uint64_t IstStackBottom(uint32_t index, uint8_t ist);
// The address of the PerCpu of the CPU whose IST stacks contain `rsp` (an address on one of
// them), or 0 if `rsp` is on none or that CPU has no PerCpu yet. Reads no GS-relative data:
// the NMI/#DF/#MC entry uses it to find its CPU whatever the interrupted GS base was.
uint64_t IstOwnerPerCpu(uint64_t rsp);
// True if every IST canary of CPU `index` is intact.
bool IstCanariesIntact(uint32_t index);

// The GDT address LGDT was given for CPU `index` (tests compare with SGDT).
uint64_t GdtAddress(uint32_t index);

}  // namespace hiillos::arch
