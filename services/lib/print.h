// services/lib/print.h — printf-style output to the kernel log (lib/format → Log syscall),
// one Log call per line; lines longer than uapi::kMaxLogLength are split.
#pragma once

#include <stdarg.h>

namespace hiillos::rt {

void Printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void VPrintf(const char* fmt, va_list args);

}  // namespace hiillos::rt
