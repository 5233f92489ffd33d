// kernel/boot/banner.h — the boot banner: what the loader handed over, printed to the log.
#pragma once

#include "uapi/boot_info.h"

namespace hiillos::boot {

void PrintBanner(const uapi::BootInfo& info);

}  // namespace hiillos::boot
