// services/vfsd/text.h — the few string helpers the file-system stack needs, for freestanding
// builds (no C library: memcpy/memcmp come from lib/freestanding, strlen and strcmp from here).
#pragma once

#include <stddef.h>

namespace hiillos::fs {

inline size_t Length(const char* text) {
  size_t length = 0;
  while (text[length] != '\0') ++length;
  return length;
}

inline bool Same(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

}  // namespace hiillos::fs
