// kernel/arch/x86_64/port_io.h — the kernel's name (hiillos::arch) for lib/x86/port_io.h.
#pragma once

#include "lib/x86/port_io.h"

namespace hiillos::arch {
using namespace ::hiillos::x86;
}  // namespace hiillos::arch
