// kernel/sched/kernel_stack.h — per-thread kernel stacks in the kernel-stack region, each below
// an unmapped guard page, and the TLB rule that makes reusing their addresses safe on SMP.
//
// Layout: slot n covers [kKernelStackRegionBase + n * kKernelStackStride, + stride); its top
// kKernelStackSize bytes are mapped (RW, NX, global), the rest stays unmapped, so running
// off the bottom of a stack faults instead of corrupting the neighbour. Slots are handed out
// lowest first from a bitmap (guarded by a lock of this file).
//
// TLB rule: freeing a stack unmaps it and shoots the translation down on every online CPU
// (arch::KernelTlbShootdown) before its pages go back to the PMM, so FreeKernelStack must run in a
// context that may wait for other CPUs: no spinlock held (the reaper thread or the dropper of
// the last Thread reference).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/error.h"
#include "lib/base/result.h"

namespace hiillos::sched {

inline constexpr size_t kKernelStackSize = 16 * 1024;
inline constexpr size_t kKernelStackStride = 32 * 1024;  // stack + guard area
// 16384 slots = the region's first 512 MiB (kernel_space_ktest uses the region at +1 GiB).
inline constexpr uint32_t kMaxKernelStacks = 1u << 14;
inline constexpr uint32_t kNoStackSlot = ~0u;

struct KernelStack {
  uint64_t base = 0;  // lowest mapped address
  uint64_t top = 0;   // one past the highest byte (initial RSP), 16-byte aligned
  uint32_t slot = kNoStackSlot;
  uint64_t phys = 0;  // physical base of the kKernelStackSize bytes
};

// Maps a fresh stack (contents undefined). Errors: kOutOfMemory (no pages or no free slot).
Result<KernelStack, mm::Error> AllocateKernelStack();
// Unmaps and frees `stack` (no-op for an empty one) and resets it.
void FreeKernelStack(KernelStack& stack);
// Stacks currently allocated (tests).
uint64_t KernelStackCount();

}  // namespace hiillos::sched
