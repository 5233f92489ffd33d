// lib/fat32/testing/deterministic_bytes.cc — xorshift32 bytes from a seed.
#include "lib/fat32/testing/deterministic_bytes.h"

namespace hiillos::fat32::testing {

std::vector<uint8_t> DeterministicBytes(size_t size, uint32_t seed) {
  std::vector<uint8_t> bytes(size);
  uint32_t state = seed * 2654435761u + 1;
  for (uint8_t& byte : bytes) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    byte = static_cast<uint8_t>(state >> 24);
  }
  return bytes;
}

}  // namespace hiillos::fat32::testing
