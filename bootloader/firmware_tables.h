// bootloader/firmware_tables.h — what the firmware tells us about the machine: the ACPI RSDP
// and the GOP framebuffer.
#pragma once

#include <stdint.h>

#include "bootloader/uefi.h"
#include "uapi/boot_info.h"

namespace hiillos::loader {

// Physical address of the ACPI 2.0+ RSDP from the configuration table, else the ACPI 1.0 one,
// else 0.
uint64_t FindRsdp(const EFI_SYSTEM_TABLE* system_table);

// The current GOP mode as a linear 32-bit framebuffer; format kNone (and zeros) when there is no
// GOP, or the mode is blit-only or has a pixel layout other than RGBX/BGRX 8:8:8:8.
uapi::Framebuffer QueryFramebuffer(EFI_BOOT_SERVICES* boot_services);

}  // namespace hiillos::loader
