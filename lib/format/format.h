// lib/format/format.h — printf-style formatting into a sink, for freestanding code.
//
// Supported: %s %c %d %i %u %x %X %p %% with flags '-', '0', '#', width, and the length modifiers
// l, ll, z (all integers are formatted as 64-bit). Unknown conversions print verbatim.
#pragma once

#include <stdarg.h>
#include <stddef.h>

namespace hiillos::format {

// Receives formatted output one chunk at a time.
using Sink = void (*)(void* context, const char* text, size_t length);

void VFormat(Sink sink, void* context, const char* fmt, va_list args);
void Format(Sink sink, void* context, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

// Formats into buffer (always NUL-terminated when size > 0); returns the length it needed.
size_t VFormatToBuffer(char* buffer, size_t size, const char* fmt, va_list args);
size_t FormatToBuffer(char* buffer, size_t size, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace hiillos::format
