// lib/zstd/xxhash64.cc — XXH64 as specified by the xxHash specification (RFC 8878 §3.1.1.4).
#include "lib/zstd/xxhash64.h"

#include "lib/zstd/bytes.h"

namespace hiillos::zstd {
namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

constexpr uint64_t RotateLeft(uint64_t v, unsigned bits) {
  return (v << bits) | (v >> (64 - bits));
}

constexpr uint64_t Round(uint64_t accumulator, uint64_t lane) {
  accumulator += lane * kPrime2;
  return RotateLeft(accumulator, 31) * kPrime1;
}

constexpr uint64_t MergeRound(uint64_t hash, uint64_t accumulator) {
  hash ^= Round(0, accumulator);
  return hash * kPrime1 + kPrime4;
}

}  // namespace

uint64_t Xxh64(const uint8_t* data, size_t size, uint64_t seed) {
  const uint8_t* p = data;
  const uint8_t* end = data + size;
  uint64_t hash;
  if (size >= 32) {
    uint64_t v1 = seed + kPrime1 + kPrime2;
    uint64_t v2 = seed + kPrime2;
    uint64_t v3 = seed;
    uint64_t v4 = seed - kPrime1;
    while (end - p >= 32) {
      v1 = Round(v1, Load64(p));
      v2 = Round(v2, Load64(p + 8));
      v3 = Round(v3, Load64(p + 16));
      v4 = Round(v4, Load64(p + 24));
      p += 32;
    }
    hash = RotateLeft(v1, 1) + RotateLeft(v2, 7) + RotateLeft(v3, 12) + RotateLeft(v4, 18);
    hash = MergeRound(hash, v1);
    hash = MergeRound(hash, v2);
    hash = MergeRound(hash, v3);
    hash = MergeRound(hash, v4);
  } else {
    hash = seed + kPrime5;
  }
  hash += size;
  while (end - p >= 8) {
    hash ^= Round(0, Load64(p));
    hash = RotateLeft(hash, 27) * kPrime1 + kPrime4;
    p += 8;
  }
  if (end - p >= 4) {
    hash ^= uint64_t{Load32(p)} * kPrime1;
    hash = RotateLeft(hash, 23) * kPrime2 + kPrime3;
    p += 4;
  }
  while (p < end) {
    hash ^= *p * kPrime5;
    hash = RotateLeft(hash, 11) * kPrime1;
    ++p;
  }
  hash ^= hash >> 33;
  hash *= kPrime2;
  hash ^= hash >> 29;
  hash *= kPrime3;
  hash ^= hash >> 32;
  return hash;
}

}  // namespace hiillos::zstd
