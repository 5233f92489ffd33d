// kernel/mm/kernel_space.h — the kernel's own address space: kernel image (W^X), HHDM, and the
// shared upper half every user address space copies (docs/kernel-memory.md).
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/paging/types.h"
#include "uapi/boot_info.h"

namespace hiillos::mm {

// Virtual layout of the upper half.
inline constexpr uint64_t kCapabilityRegionBase = 0xffff'c000'0000'0000ull;  // grows on demand
inline constexpr uint64_t kCapabilityRegionSize = 64ull << 30;               // 64 GiB reserved
inline constexpr uint64_t kKernelStackRegionBase = 0xffff'd000'0000'0000ull;

// Builds fresh page tables (kernel segments from the linker's section bounds at their physical
// location, HHDM of all memory with the largest pages the CPU has, every upper-half PML4 slot
// pre-populated so later kernel mappings are visible in every address space) and loads CR3.
Result<void, paging::Error> KernelSpaceInit(const uapi::BootInfo& info);

// Maps/unmaps in the shared kernel half (4 KiB pages). Caller owns the virtual range.
Result<void, paging::Error> KernelMap(uint64_t virt, uint64_t phys, uint64_t bytes,
                                      paging::Attributes attrs);
Result<void, paging::Error> KernelUnmap(uint64_t virt, uint64_t bytes);
Result<void, paging::Error> KernelProtect(uint64_t virt, uint64_t bytes, paging::Attributes attrs);
struct KernelTranslation {
  uint64_t phys;
  paging::PageSize size;
  paging::Attributes attrs;
};
Result<KernelTranslation, paging::Error> KernelTranslate(uint64_t virt);

// Physical address of the kernel PML4 (user address spaces copy its upper half).
uint64_t KernelPageTableRoot();

}  // namespace hiillos::mm
