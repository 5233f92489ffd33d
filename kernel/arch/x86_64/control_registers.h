// kernel/arch/x86_64/control_registers.h — the kernel's name (hiillos::arch) for
// lib/x86/control_registers.h.
#pragma once

#include "lib/x86/control_registers.h"

namespace hiillos::arch {
using namespace ::hiillos::x86;
}  // namespace hiillos::arch
