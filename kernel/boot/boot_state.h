// kernel/boot/boot_state.h — the kernel's own copy of BootInfo (the loader's copy lives in boot
// data, which the PMM reclaims once the kernel has moved off it).
#pragma once

#include "uapi/boot_info.h"

namespace hiillos::boot {

// Copies `info` into kernel memory. Boot CPU, once, before ReleaseBootData.
void SaveBootInfo(const uapi::BootInfo& info);
// The saved copy; valid for the kernel's lifetime (read-only after SaveBootInfo).
const uapi::BootInfo& SavedBootInfo();

}  // namespace hiillos::boot
