// lib/ustar/path.cc — the rules for entry paths inside a hiillos ustar archive.
#include "lib/ustar/path.h"

namespace hiillos::ustar {

bool IsValidPath(const char* path, size_t length) {
  if (length == 0 || path[0] == '/') return false;
  size_t start = 0;
  while (start <= length) {
    size_t end = start;
    while (end < length && path[end] != '/') {
      if (path[end] == '\0') return false;
      ++end;
    }
    const size_t component = end - start;
    if (component == 0) return false;  // "a//b" or a trailing '/'
    if (component == 1 && path[start] == '.') return false;
    if (component == 2 && path[start] == '.' && path[start + 1] == '.') return false;
    start = end + 1;
  }
  return true;
}

bool SameBytes(const char* a, size_t a_length, const char* b, size_t b_length) {
  if (a_length != b_length) return false;
  for (size_t i = 0; i < a_length; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

size_t BoundedLength(const char* text, size_t max) {
  size_t length = 0;
  while (length < max && text[length] != '\0') ++length;
  return length;
}

}  // namespace hiillos::ustar
