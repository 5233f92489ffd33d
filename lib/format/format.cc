// lib/format/format.cc — the printf-style formatter behind format.h.
#include "lib/format/format.h"

#include <stdint.h>

namespace hiillos::format {
namespace {

struct Spec {
  bool left = false;
  bool zero = false;
  bool alternate = false;  // '#': 0x prefix for hex
  int width = 0;
};

void Pad(Sink sink, void* context, char fill, int count) {
  char chunk[16];
  for (int i = 0; i < 16; ++i) chunk[i] = fill;
  while (count > 0) {
    int n = count < 16 ? count : 16;
    sink(context, chunk, static_cast<size_t>(n));
    count -= n;
  }
}

void Emit(Sink sink, void* context, const Spec& spec, const char* text, size_t length) {
  int padding = spec.width - static_cast<int>(length);
  if (!spec.left && padding > 0) Pad(sink, context, spec.zero ? '0' : ' ', padding);
  sink(context, text, length);
  if (spec.left && padding > 0) Pad(sink, context, ' ', padding);
}

void EmitNumber(Sink sink, void* context, Spec spec, uint64_t value, unsigned base, bool negative,
                bool upper, const char* prefix) {
  char digits[24];
  size_t count = 0;
  const char* alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    digits[count++] = alphabet[value % base];
    value /= base;
  } while (value != 0);
  char text[32];
  size_t length = 0;
  if (negative) text[length++] = '-';
  for (const char* p = prefix; *p; ++p) text[length++] = *p;
  // With zero padding the sign/prefix go before the zeros.
  if (spec.zero && !spec.left && spec.width > static_cast<int>(length + count)) {
    sink(context, text, length);
    Pad(sink, context, '0', spec.width - static_cast<int>(length + count));
    length = 0;
    spec.width = 0;
  }
  while (count > 0) text[length++] = digits[--count];
  Emit(sink, context, spec, text, length);
}

struct BufferSink {
  char* buffer;
  size_t size;
  size_t used;
};

void WriteToBuffer(void* context, const char* text, size_t length) {
  auto* sink = static_cast<BufferSink*>(context);
  for (size_t i = 0; i < length; ++i) {
    if (sink->used + 1 < sink->size) sink->buffer[sink->used] = text[i];
    ++sink->used;
  }
}

}  // namespace

void VFormat(Sink sink, void* context, const char* fmt, va_list args) {
  const char* literal = fmt;
  while (*fmt) {
    if (*fmt != '%') {
      ++fmt;
      continue;
    }
    if (fmt > literal) sink(context, literal, static_cast<size_t>(fmt - literal));
    const char* start = fmt++;
    Spec spec;
    for (;; ++fmt) {
      if (*fmt == '-')
        spec.left = true;
      else if (*fmt == '0')
        spec.zero = true;
      else if (*fmt == '#')
        spec.alternate = true;
      else
        break;
    }
    while (*fmt >= '0' && *fmt <= '9') spec.width = spec.width * 10 + (*fmt++ - '0');
    int longs = 0;
    while (*fmt == 'l' || *fmt == 'z') {
      ++longs;
      ++fmt;
    }
    switch (*fmt) {
      case 's': {
        const char* text = va_arg(args, const char*);
        if (text == nullptr) text = "(null)";
        size_t length = 0;
        while (text[length]) ++length;
        Emit(sink, context, spec, text, length);
        break;
      }
      case 'c': {
        char c = static_cast<char>(va_arg(args, int));
        Emit(sink, context, spec, &c, 1);
        break;
      }
      case 'd':
      case 'i': {
        int64_t value = longs ? va_arg(args, int64_t) : va_arg(args, int);
        uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : value;
        EmitNumber(sink, context, spec, magnitude, 10, value < 0, false, "");
        break;
      }
      case 'u':
      case 'x':
      case 'X': {
        uint64_t value = longs ? va_arg(args, uint64_t) : va_arg(args, unsigned);
        unsigned base = *fmt == 'u' ? 10 : 16;
        const char* prefix = spec.alternate && base == 16 ? (*fmt == 'X' ? "0X" : "0x") : "";
        EmitNumber(sink, context, spec, value, base, false, *fmt == 'X', prefix);
        break;
      }
      case 'p': {
        auto value = reinterpret_cast<uintptr_t>(va_arg(args, void*));
        spec.zero = true;
        spec.width = 18;
        EmitNumber(sink, context, spec, value, 16, false, false, "0x");
        break;
      }
      case '%':
        sink(context, "%", 1);
        break;
      default:  // Unknown or truncated conversion: print it verbatim.
        if (*fmt == '\0') {
          sink(context, start, static_cast<size_t>(fmt - start));
          literal = fmt;
          continue;
        }
        sink(context, start, static_cast<size_t>(fmt - start + 1));
        break;
    }
    literal = ++fmt;
  }
  if (fmt > literal) sink(context, literal, static_cast<size_t>(fmt - literal));
}

void Format(Sink sink, void* context, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  VFormat(sink, context, fmt, args);
  va_end(args);
}

size_t VFormatToBuffer(char* buffer, size_t size, const char* fmt, va_list args) {
  BufferSink sink{buffer, size, 0};
  VFormat(WriteToBuffer, &sink, fmt, args);
  if (size > 0) buffer[sink.used < size ? sink.used : size - 1] = '\0';
  return sink.used;
}

size_t FormatToBuffer(char* buffer, size_t size, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  size_t needed = VFormatToBuffer(buffer, size, fmt, args);
  va_end(args);
  return needed;
}

}  // namespace hiillos::format
