// lib/ustar/octal.cc — parsing and encoding of ustar's fixed-width octal ASCII number fields.
#include "lib/ustar/octal.h"

namespace hiillos::ustar {
namespace {

bool IsFiller(char c) {
  return c == ' ' || c == '\0';
}
bool IsOctalDigit(char c) {
  return c >= '0' && c <= '7';
}

}  // namespace

Result<uint64_t, Error> ParseOctal(const char* field, size_t width) {
  if (width == 0 || width > 12) return Err(Error::kBadNumber);
  size_t i = 0;
  while (i < width && field[i] == ' ') ++i;
  uint64_t value = 0;
  size_t digits = 0;
  while (i < width && IsOctalDigit(field[i])) {
    value = value * 8 + static_cast<uint64_t>(field[i] - '0');
    ++digits;
    ++i;
  }
  if (digits == 0) return Err(Error::kBadNumber);
  for (; i < width; ++i) {
    if (!IsFiller(field[i])) return Err(Error::kBadNumber);
  }
  return value;
}

Result<uint64_t, Error> ParseOptionalOctal(const char* field, size_t width) {
  bool empty = true;
  for (size_t i = 0; i < width; ++i) {
    if (!IsFiller(field[i])) empty = false;
  }
  if (empty && width != 0 && width <= 12) return uint64_t{0};
  return ParseOctal(field, width);
}

Result<void, Error> EncodeOctal(uint64_t value, char* field, size_t width) {
  if (width < 2 || width > 12) return Err(Error::kBadNumber);
  const size_t digits = width - 1;
  if (value >> (3 * digits) != 0) return Err(Error::kBadNumber);
  for (size_t i = digits; i > 0; --i) {
    field[i - 1] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
  field[digits] = '\0';
  return Ok<Error>();
}

}  // namespace hiillos::ustar
