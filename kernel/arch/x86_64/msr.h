// kernel/arch/x86_64/msr.h — the kernel's name (hiillos::arch) for lib/x86/msr.h.
#pragma once

#include "lib/x86/msr.h"

namespace hiillos::arch {
using namespace ::hiillos::x86;
}  // namespace hiillos::arch
