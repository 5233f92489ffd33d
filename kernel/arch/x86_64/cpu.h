// kernel/arch/x86_64/cpu.h — the kernel's name (hiillos::arch) for lib/x86/cpu.h.
#pragma once

#include "lib/x86/cpu.h"

namespace hiillos::arch {
using namespace ::hiillos::x86;
}  // namespace hiillos::arch
