// services/root/start_vm.h — root's one step for the vm server: start /sbin/vm from the initfs
// if it is there (services/vm/launch.h) and keep its registration Sender for whoever registers
// address spaces (proc).
#pragma once

#include <stdint.h>

#include "lib/ustar/archive.h"

namespace hiillos::root {

// The registration Sender (badge 0, all rights), or 0 when /sbin/vm is absent or did not start
// (reported in one line; the boot goes on without it).
uint32_t StartVm(const ustar::Archive& initfs, uint64_t pid);

}  // namespace hiillos::root
