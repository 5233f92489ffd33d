// disk/generate_bytes.cc — writes the disk's deterministic sample file. Usage: SIZE SEED OUT
#include <stdio.h>
#include <stdlib.h>

#include <vector>

#include "lib/fat32/testing/deterministic_bytes.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s SIZE SEED OUT\n", argv[0]);
    return 2;
  }
  const std::vector<uint8_t> bytes = hiillos::fat32::testing::DeterministicBytes(
      strtoull(argv[1], nullptr, 10), static_cast<uint32_t>(strtoul(argv[2], nullptr, 10)));
  FILE* out = fopen(argv[3], "wb");
  if (out == nullptr) return 1;
  const bool ok = fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
  return fclose(out) == 0 && ok ? 0 : 1;
}
