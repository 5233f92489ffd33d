// kernel/boot/boot_state.cc — storage for the saved BootInfo.
#include "kernel/boot/boot_state.h"

namespace hiillos::boot {
namespace {
uapi::BootInfo g_boot_info;  // written once on the boot CPU, read-only afterwards
}  // namespace

void SaveBootInfo(const uapi::BootInfo& info) {
  __builtin_memcpy(&g_boot_info, &info, sizeof(g_boot_info));
}

const uapi::BootInfo& SavedBootInfo() {
  return g_boot_info;
}

}  // namespace hiillos::boot
