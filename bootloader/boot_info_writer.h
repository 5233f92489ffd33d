// bootloader/boot_info_writer.h — filling the BootInfo record (uapi/boot_info.h) piece by piece.
#pragma once

#include <stdint.h>

#include "bootloader/boot_volume.h"
#include "bootloader/kernel_image.h"
#include "bootloader/loader_error.h"
#include "uapi/boot_info.h"

namespace hiillos::loader {

// Header (magic, version, size, HHDM base) and the kernel's placement; `info` must be zeroed.
void InitBootInfo(uapi::BootInfo& info, const LoadedKernel& kernel, uint64_t tsc_loader_start);

// Appends a module (exact file size, name truncated to fit). Fails when the table is full.
EfiResult<void> AddModule(uapi::BootInfo& info, const char* name, const LoadedFile& file);

// Copies the command line file (absent: empty string). Fails on an over-long or binary file.
EfiResult<void> SetCommandLine(uapi::BootInfo& info, const LoadedFile& file);

// Replaces the command line with QEMU's fw_cfg file opt/hiillos/cmdline when present.
EfiResult<void> OverrideCommandLineFromFwCfg(uapi::BootInfo& info);

}  // namespace hiillos::loader
