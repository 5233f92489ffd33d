// lib/acpi/write_fuzz_seeds.cc — writes the ACPI fuzzer's seed images into a corpus directory.
#include <stdio.h>

#include <string>

#include "lib/acpi/fuzz_seeds.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  int index = 0;
  for (const auto& seed : hiillos::acpi::testing::FuzzSeeds()) {
    std::string path = std::string(argv[1]) + "/seed" + std::to_string(index++);
    FILE* f = fopen(path.c_str(), "wb");
    if (f == nullptr || fwrite(seed.data(), 1, seed.size(), f) != seed.size()) {
      perror(path.c_str());
      return 1;
    }
    fclose(f);
  }
  return 0;
}
