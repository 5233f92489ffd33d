// lib/zstd/bytes.h — little-endian loads and fixed-size copies (no alignment assumptions).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::zstd {

inline uint16_t Load16(const uint8_t* p) {
  uint16_t v;
  __builtin_memcpy(&v, p, sizeof(v));
  return v;
}
inline uint32_t Load24(const uint8_t* p) {
  return p[0] | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16);
}
inline uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, sizeof(v));
  return v;
}
inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  __builtin_memcpy(&v, p, sizeof(v));
  return v;
}

// Copies 16 bytes; the compiler turns this into one unaligned vector move.
inline void Copy16(uint8_t* dst, const uint8_t* src) {
  __builtin_memcpy(dst, src, 16);
}

// Index of the highest set bit; `v` must not be 0.
inline unsigned HighBit(uint32_t v) {
  return 31 - __builtin_clz(v);
}

}  // namespace hiillos::zstd
