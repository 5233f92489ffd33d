// services/lib/print.h — printf-style output to the kernel log (lib/format → Log syscall),
// one Log call per line; lines longer than uapi::kMaxLogLength are split. Logging needs a Log
// capability (uapi::ObjectType::kLog with Write): set it once with SetLogHandle; until then (or
// with handle 0) output is dropped.
#pragma once

#include <stdarg.h>
#include <stdint.h>

namespace hiillos::rt {

void SetLogHandle(uint32_t handle);
uint32_t LogHandle();

void Printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void VPrintf(const char* fmt, va_list args);

}  // namespace hiillos::rt
