// kernel/syscall/log_text.h — SanitizeLogText: makes user log text safe to print as one line
// (no control characters, escape sequences or line breaks of its own). Pure, host-tested.
#pragma once

#include <stddef.h>

namespace hiillos::syscall {

// Replaces every byte outside printable ASCII (0x20-0x7e) with '?', except that trailing line
// breaks are dropped (a user's "text\n" is one line). Returns the new length.
inline size_t SanitizeLogText(char* text, size_t length) {
  while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r')) --length;
  for (size_t i = 0; i < length; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c > 0x7e) text[i] = '?';
  }
  return length;
}

}  // namespace hiillos::syscall
