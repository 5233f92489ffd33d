// lib/acpi/acpi_fuzzer_smoke_test.cc — runs the fuzz target on its seeds, every truncation of
// them and deterministic random mutations, so `bazel test` exercises it without libFuzzer.
#include <stddef.h>
#include <stdint.h>

#include <gtest/gtest.h>

#include "lib/acpi/discover.h"
#include "lib/acpi/fuzz_seeds.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace hiillos::acpi {
namespace {

TEST(AcpiFuzzerSmoke, SeedsParse) {
  for (const auto& seed : testing::FuzzSeeds()) {
    testing::FakeMemory memory(seed.data(), seed.size());
    auto info = Discover(memory.Reader(), 0);
    ASSERT_TRUE(info.ok()) << ErrorString(info.error());
    EXPECT_GE(info.value().madt.cpu_count, 1u);
    EXPECT_EQ(LLVMFuzzerTestOneInput(seed.data(), seed.size()), 0);
  }
}

TEST(AcpiFuzzerSmoke, Truncations) {
  for (const auto& seed : testing::FuzzSeeds()) {
    for (size_t n = 0; n <= seed.size(); n += 7) {
      std::vector<uint8_t> cut(seed.begin(), seed.begin() + n);
      LLVMFuzzerTestOneInput(cut.data(), cut.size());
    }
  }
}

TEST(AcpiFuzzerSmoke, Mutations) {
  uint64_t state = 0x9e3779b97f4a7c15;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (const auto& seed : testing::FuzzSeeds()) {
    for (int round = 0; round < 3000; ++round) {
      std::vector<uint8_t> input = seed;
      int flips = 1 + static_cast<int>(next() % 8);
      for (int i = 0; i < flips; ++i) {
        input[next() % input.size()] = static_cast<uint8_t>(next());
      }
      LLVMFuzzerTestOneInput(input.data(), input.size());
    }
  }
}

}  // namespace
}  // namespace hiillos::acpi
