// testing/syscall_fuzz/rng.h — the fuzzer's deterministic PRNG: SplitMix64's mixer derives one
// stream per worker from the run's seed, xorshift64* steps it. The same seed and worker index
// always give the same stream of random numbers.
#pragma once

#include <stdint.h>

namespace hiillos::syscall_fuzz {

// A well-mixed 64-bit value from `x` (SplitMix64's finaliser).
constexpr uint64_t Mix(uint64_t x) {
  x += 0x9e37'79b9'7f4a'7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58'476d'1ce4'e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d0'49bb'1331'11ebull;
  return x ^ (x >> 31);
}

class Rng {
 public:
  // The stream of worker `stream` in a run seeded with `seed`.
  constexpr Rng(uint64_t seed, uint64_t stream) : state_(Mix(Mix(seed) ^ Mix(stream + 1)) | 1) {}

  uint64_t Next() {  // xorshift64*
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545'f491'4f6c'dd1dull;
  }
  // Uniform enough in [0, n) for fuzzing (n > 0).
  uint64_t Below(uint64_t n) { return Next() % n; }
  // True with probability percent / 100.
  bool Percent(unsigned percent) { return Below(100) < percent; }

 private:
  uint64_t state_;
};

}  // namespace hiillos::syscall_fuzz
