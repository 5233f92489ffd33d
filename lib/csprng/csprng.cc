// lib/csprng/csprng.cc — entropy pool, seeding, reseeding and fast-key-erasure output.
#include "lib/csprng/csprng.h"

#include "lib/chacha20/wipe.h"

namespace hiillos::csprng {
namespace {

using chacha20::kBlockSize;
using chacha20::Key;
using chacha20::kKeySize;
using chacha20::Nonce;
using chacha20::Wipe;

// Domain separation between the three uses of the block function (first four nonce bytes).
constexpr Nonce DomainNonce(char a, char b, char c, char d) {
  return Nonce{{static_cast<uint8_t>(a), static_cast<uint8_t>(b), static_cast<uint8_t>(c),
                static_cast<uint8_t>(d), 0, 0, 0, 0, 0, 0, 0, 0}};
}
constexpr Nonce kAbsorbNonce = DomainNonce('a', 'b', 's', 'o');
constexpr Nonce kReseedNonce = DomainNonce('r', 's', 'e', 'd');
constexpr Nonce kOutputNonce = {};

// state = Block(key = state ^ input, counter 0, nonce)[0, 32). `input` is input_length <= 32
// bytes, zero-padded; the length goes into the nonce so that padding is not ambiguous.
void Compress(uint8_t state[kKeySize], const uint8_t* input, size_t input_length, Nonce nonce) {
  Key key;
  for (size_t i = 0; i < kKeySize; ++i) {
    key.bytes[i] = static_cast<uint8_t>(state[i] ^ (i < input_length ? input[i] : 0));
  }
  nonce.bytes[4] = static_cast<uint8_t>(input_length);
  uint8_t block[kBlockSize];
  chacha20::Block(key, 0, nonce, block);
  for (size_t i = 0; i < kKeySize; ++i) state[i] = block[i];
  Wipe(&key, sizeof(key));
  Wipe(block, sizeof(block));
}

bool LimitReached(uint64_t count, uint64_t limit) {
  return limit != 0 && count >= limit;
}

}  // namespace

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kNotSeeded:
      return "generator not seeded with 256 bits of entropy yet";
  }
  return "unknown csprng error";
}

Csprng::~Csprng() {
  Wipe(&key_, sizeof(key_));
  Wipe(pool_, sizeof(pool_));
}

void Csprng::AddEntropy(const uint8_t* bytes, size_t length, uint32_t estimated_bits) {
  for (size_t done = 0; done < length; done += kKeySize) {
    const size_t chunk = length - done < kKeySize ? length - done : kKeySize;
    Compress(pool_, bytes + done, chunk, kAbsorbNonce);
  }
  const uint64_t possible_bits = static_cast<uint64_t>(length) * 8;
  const uint64_t credited = estimated_bits < possible_bits ? estimated_bits : possible_bits;
  const uint64_t total = pool_bits_ + credited;
  pool_bits_ = total < kMinSeedBits ? static_cast<uint32_t>(total) : kMinSeedBits;
  if (!seeded_ && pool_bits_ >= kMinSeedBits) Reseed();
}

bool Csprng::reseed_due() const {
  return seeded_ && (LimitReached(bytes_since_reseed_, policy_.max_bytes) ||
                     LimitReached(requests_since_reseed_, policy_.max_requests));
}

void Csprng::Reseed() {
  Compress(key_.bytes, pool_, kKeySize, kReseedNonce);
  Wipe(pool_, sizeof(pool_));
  pool_bits_ = 0;
  seeded_ = true;
  ++reseed_count_;
  bytes_since_reseed_ = 0;
  requests_since_reseed_ = 0;
}

Result<void, Error> Csprng::Generate(uint8_t* out, size_t length) {
  if (!seeded_) return Err(Error::kNotSeeded);
  size_t done = 0;
  do {
    if (reseed_due() && pool_bits_ >= kMinSeedBits) Reseed();
    const size_t chunk = length - done < kChunkBytes ? length - done : kChunkBytes;
    GenerateChunk(out + done, chunk);
    bytes_since_reseed_ += chunk;
    done += chunk;
  } while (done < length);
  ++requests_since_reseed_;
  return Ok<Error>();
}

// Keystream under key_ (zero nonce, counter from 0): bytes [0, 32) are the next key, bytes
// [32, 32 + length) the output. The old key and all keystream are erased.
void Csprng::GenerateChunk(uint8_t* out, size_t length) {
  uint8_t first_block[kBlockSize];
  chacha20::Block(key_, 0, kOutputNonce, first_block);
  const size_t head = length < kBlockSize - kKeySize ? length : kBlockSize - kKeySize;
  for (size_t i = 0; i < head; ++i) out[i] = first_block[kKeySize + i];
  static_assert(Csprng::kChunkBytes / kBlockSize < UINT32_MAX, "counter cannot wrap");
  // kChunkBytes keeps the counter far below 2^32: this cannot fail.
  (void)chacha20::Keystream(key_, 1, kOutputNonce, out + head, length - head);
  for (size_t i = 0; i < kKeySize; ++i) key_.bytes[i] = first_block[i];
  Wipe(first_block, sizeof(first_block));
}

}  // namespace hiillos::csprng
