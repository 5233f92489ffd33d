// bootloader/cpu.h — the loader's view of the CPU: lib/x86's instructions and the CR4 bit
// the hand-off checks.
#pragma once

#include <stdint.h>

#include "lib/x86/control_registers.h"
#include "lib/x86/cpu.h"
#include "lib/x86/msr.h"
#include "lib/x86/port_io.h"

namespace hiillos::loader::cpu {

using namespace ::hiillos::x86;

inline constexpr uint64_t kCr4La57 = 1ull << 12;  // 5-level paging active (SDM Vol.3A §2.5)

}  // namespace hiillos::loader::cpu
