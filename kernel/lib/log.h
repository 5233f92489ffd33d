// kernel/lib/log.h — the kernel log: "[seconds.micros] cpuN subsystem: message" lines on COM1.
#pragma once

#include <stdarg.h>
#include <stddef.h>

namespace hiillos::klog {

// Room the "[seconds.micros] cpuN subsystem: " prefix needs (subsystem names are short).
inline constexpr size_t kMaxPrefixBytes = 64;

void Init();
// One line; a trailing newline is added. Thread-safe once SMP starts (a spinlock serialises).
void Log(const char* subsystem, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void VLog(const char* subsystem, const char* fmt, va_list args);
// For callers that build a line themselves and write it in bounded pieces (user lines,
// object/log.h): the prefix Log would write now, into `buffer` (returns its length, at most
// size - 1; NUL-terminated); printf into a buffer; and one piece of output under the line lock
// (interrupts off only for this call: keep `length` small).
size_t FormatPrefix(char* buffer, size_t size, const char* subsystem);
size_t FormatInto(char* buffer, size_t size, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));
void WriteChunk(const char* text, size_t length);
// Raw output without prefix (panic dumps).
void Raw(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace hiillos::klog
