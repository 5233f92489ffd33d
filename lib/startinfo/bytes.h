// lib/startinfo/bytes.h — little-endian loads and stores at any alignment, and Text (bytes +
// length) for the strings of a start-information block.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::startinfo {

// A string inside a block or handed to the builder: `length` bytes, no NUL among them.
struct Text {
  const char* data = nullptr;
  size_t length = 0;
};

constexpr bool TextEquals(Text a, Text b) {
  if (a.length != b.length) return false;
  for (size_t i = 0; i < a.length; ++i) {
    if (a.data[i] != b.data[i]) return false;
  }
  return true;
}

inline uint64_t LoadLittleEndian(const uint8_t* bytes, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= uint64_t{bytes[i]} << (8 * i);
  return value;
}

inline void StoreLittleEndian(uint8_t* bytes, size_t width, uint64_t value) {
  for (size_t i = 0; i < width; ++i) bytes[i] = static_cast<uint8_t>(value >> (8 * i));
}

}  // namespace hiillos::startinfo
