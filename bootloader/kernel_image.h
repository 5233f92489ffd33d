// bootloader/kernel_image.h — validating ELF files and loading the kernel's segments.
#pragma once

#include <stdint.h>

#include "bootloader/boot_volume.h"
#include "bootloader/loader_error.h"
#include "lib/elf/image.h"

namespace hiillos::loader {

// The kernel copied to its own physically contiguous pages: virtual address v of the image is
// at physical phys_base + (v - virt_base) for every v in [virt_base, virt_base + size).
struct LoadedKernel {
  uint64_t phys_base;
  uint64_t virt_base;  // page-aligned lowest segment address
  uint64_t size;       // page-rounded span of all segments
  uint64_t entry;
  elf::Image image;
};

// Validates `file` with the kernel policy (higher half only), allocates the image's span as
// kKernel pages, copies each segment's file bytes and zeroes the rest.
EfiResult<LoadedKernel> LoadKernel(const LoadedFile& file);

// Validates a user program with the user policy (lower half only); it stays a module.
EfiResult<void> CheckUserProgram(const LoadedFile& file, const char* name);

}  // namespace hiillos::loader
