// lib/csprng/csprng.h — the random generator behind rngd: a fast-key-erasure ChaCha20 generator
// fed with caller-supplied entropy.
//
// Construction (after D. J. Bernstein, "Fast-key-erasure random-number generators", 2017):
// - Entropy goes into a 256-bit pool: each chunk of up to 32 bytes is absorbed as
//   pool = ChaCha20Block(key = pool ^ chunk, counter 0, nonce "absorb" || chunk length)[0, 32),
//   so the pool stays unpredictable as long as any absorbed input was.
// - Seeding (and every reseed) folds the pool into the key the same way:
//   key = ChaCha20Block(key ^ pool, counter 0, nonce "reseed")[0, 32); the pool is then erased.
// - Each request of n bytes (in chunks of at most kChunkBytes) runs ChaCha20 with the current key
//   and a zero nonce: the first 32 keystream bytes become the next key, the next n bytes are the
//   output, and the old key and the keystream are erased before returning. A later compromise of
//   the state therefore reveals nothing about earlier output (backtracking resistance).
//
// The generator refuses output (Error::kNotSeeded) until entropy estimated at 256 bits or more
// has been added. Once seeded it reseeds before a request after `policy.max_bytes` bytes or
// `policy.max_requests` requests since the last reseed, provided the pool again holds 256
// estimated bits; until the caller supplies them, reseed_due() stays true and output continues
// from the current key (which key erasure keeps forward-secure).
//
// Not thread-safe: one owner (rngd's request loop) calls every method. Freestanding.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/chacha20/chacha20.h"

namespace hiillos::csprng {

enum class Error : uint8_t {
  kNotSeeded,  // less than kMinSeedBits of estimated entropy added so far
};
const char* ErrorName(Error error);

// When the generator folds fresh entropy into its key. Zero disables a limit.
struct ReseedPolicy {
  uint64_t max_bytes = 16 << 20;     // output bytes since the last reseed
  uint64_t max_requests = 1u << 16;  // Generate() calls since the last reseed
};

class Csprng {
 public:
  static constexpr uint32_t kMinSeedBits = 256;
  // Largest piece of a request produced under one key; larger requests re-key in between.
  static constexpr size_t kChunkBytes = 64 * 1024;

  explicit Csprng(ReseedPolicy policy = {}) : policy_(policy) {}
  ~Csprng();
  Csprng(const Csprng&) = delete;
  Csprng& operator=(const Csprng&) = delete;

  // Absorbs bytes[0, length) into the pool, credited with `estimated_bits` of entropy (capped at
  // 8 bits per byte). The first time the pool reaches kMinSeedBits the generator is seeded.
  void AddEntropy(const uint8_t* bytes, size_t length, uint32_t estimated_bits);

  // Fills out[0, length) with random bytes. Errors: kNotSeeded (nothing written).
  Result<void, Error> Generate(uint8_t* out, size_t length);

  bool seeded() const { return seeded_; }
  // True when the policy asks for a reseed that is waiting for kMinSeedBits of fresh entropy.
  bool reseed_due() const;
  uint32_t pool_bits() const { return pool_bits_; }
  uint64_t reseed_count() const { return reseed_count_; }

 private:
  void Reseed();
  void GenerateChunk(uint8_t* out, size_t length);

  ReseedPolicy policy_;
  chacha20::Key key_ = {};
  uint8_t pool_[chacha20::kKeySize] = {};
  uint32_t pool_bits_ = 0;  // estimated entropy in pool_, saturating at kMinSeedBits
  bool seeded_ = false;
  uint64_t reseed_count_ = 0;  // the first seeding counts as one
  uint64_t bytes_since_reseed_ = 0;
  uint64_t requests_since_reseed_ = 0;
};

}  // namespace hiillos::csprng
