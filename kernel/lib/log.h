// kernel/lib/log.h — the kernel log: "[seconds.micros] cpuN subsystem: message" lines on COM1.
#pragma once

#include <stdarg.h>

namespace hiillos::klog {

void Init();
// One line; a trailing newline is added. Thread-safe once SMP starts (a spinlock serialises).
void Log(const char* subsystem, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void VLog(const char* subsystem, const char* fmt, va_list args);
// Raw output without prefix (panic dumps).
void Raw(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace hiillos::klog
