// kernel/arch/device_memory.h — the architecture interface for user-space device memory: which
// physical ranges the kernel keeps for its own devices (x86-64: the local APIC, IOAPICs and
// HPET, recorded by the MMIO window, kernel/arch/x86_64/mmio_window.h), so DeviceMemory never
// hands them out.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/mmio_window.h"

namespace hiillos::arch {

static_assert(requires(uint64_t phys, uint64_t bytes) {
  { MmioOwnedByKernel(phys, bytes) } -> SameAs<bool>;
});

// True if a page of [phys, phys + bytes) holds device registers the kernel uses.
inline bool KernelOwnsDeviceRange(uint64_t phys, uint64_t bytes) {
  return MmioOwnedByKernel(phys, bytes);
}

}  // namespace hiillos::arch
