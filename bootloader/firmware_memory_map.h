// bootloader/firmware_memory_map.h — GetMemoryMap, the BootInfo memory map, ExitBootServices.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "bootloader/loader_error.h"
#include "bootloader/memory_map.h"
#include "bootloader/uefi.h"
#include "uapi/boot_info.h"

namespace hiillos::loader {

// Room for the firmware's map (with spare descriptors) and the scratch space BuildMemoryMap
// needs, allocated once before the final GetMemoryMap so nothing is allocated in between.
struct MemoryMapBuffer {
  uint8_t* data = nullptr;
  UINTN capacity = 0;  // bytes at data
  UINTN size = 0;      // bytes filled by the last GetMemoryMap
  UINTN key = 0;
  UINTN descriptor_size = 0;
  UINT32 descriptor_version = 0;
  RangeInput* inputs = nullptr;  // room for max_inputs
  uint64_t* scratch = nullptr;   // room for 2 * max_inputs
  size_t max_inputs = 0;
};

EfiResult<MemoryMapBuffer> AllocateMemoryMapBuffer(EFI_BOOT_SERVICES* boot_services);

// Fetches the current map; returns the highest physical address (exclusive) it describes.
EfiResult<uint64_t> HighestPhysicalAddress(EFI_BOOT_SERVICES* boot_services,
                                           MemoryMapBuffer& buffer);

// GetMemoryMap → BootInfo memory map (firmware types, the loader's recorded allocations and the
// framebuffer) → ExitBootServices; on EFI_INVALID_PARAMETER (stale key) once more. Nothing is
// allocated or printed between GetMemoryMap and ExitBootServices. After success only serial
// output is possible (console::DetachFirmware has been called).
EfiResult<void> ExitBootServicesWithMemoryMap(EFI_HANDLE image, EFI_BOOT_SERVICES* boot_services,
                                              MemoryMapBuffer& buffer,
                                              const uapi::Framebuffer& framebuffer,
                                              uapi::BootInfo& info);

}  // namespace hiillos::loader
