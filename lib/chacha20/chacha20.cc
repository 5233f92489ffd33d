// lib/chacha20/chacha20.cc — ChaCha20 (RFC 8439 §2.1–2.4), written from the RFC's description.
#include "lib/chacha20/chacha20.h"

#include "lib/chacha20/wipe.h"

namespace hiillos::chacha20 {
namespace {

constexpr int kStateWords = 16;

// §2.3: "expand 32-byte k" as four little-endian words.
constexpr uint32_t kConstants[4] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

constexpr uint32_t RotateLeft(uint32_t value, int bits) {
  return (value << bits) | (value >> (32 - bits));
}

uint32_t LoadLittleEndian(const uint8_t* bytes) {
  return static_cast<uint32_t>(bytes[0]) | static_cast<uint32_t>(bytes[1]) << 8 |
         static_cast<uint32_t>(bytes[2]) << 16 | static_cast<uint32_t>(bytes[3]) << 24;
}

void StoreLittleEndian(uint32_t value, uint8_t* bytes) {
  bytes[0] = static_cast<uint8_t>(value);
  bytes[1] = static_cast<uint8_t>(value >> 8);
  bytes[2] = static_cast<uint8_t>(value >> 16);
  bytes[3] = static_cast<uint8_t>(value >> 24);
}

// §2.3: constants, key, counter, nonce.
void InitialState(const Key& key, uint32_t counter, const Nonce& nonce,
                  uint32_t state[kStateWords]) {
  for (int i = 0; i < 4; ++i) state[i] = kConstants[i];
  for (int i = 0; i < 8; ++i) state[4 + i] = LoadLittleEndian(key.bytes + 4 * i);
  state[12] = counter;
  for (int i = 0; i < 3; ++i) state[13 + i] = LoadLittleEndian(nonce.bytes + 4 * i);
}

// §2.2: QUARTERROUND on state indices a, b, c, d.
void StateQuarterRound(uint32_t state[kStateWords], int a, int b, int c, int d) {
  QuarterRound(state[a], state[b], state[c], state[d]);
}

// Blocks needed for `length` bytes (rounded up); false when the counter would pass 2^32 - 1.
bool CounterRangeFits(uint32_t initial_counter, size_t length) {
  if (length == 0) return true;
  const uint64_t blocks = (static_cast<uint64_t>(length) - 1) / kBlockSize + 1;
  return blocks - 1 <= UINT32_MAX - static_cast<uint64_t>(initial_counter);
}

}  // namespace

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kCounterOverflow:
      return "ChaCha20 block counter would wrap";
  }
  return "unknown ChaCha20 error";
}

// §2.1: a += b; d ^= a; d <<<= 16; c += d; b ^= c; b <<<= 12; and again with 8 and 7.
void QuarterRound(uint32_t& a, uint32_t& b, uint32_t& c, uint32_t& d) {
  a += b;
  d ^= a;
  d = RotateLeft(d, 16);
  c += d;
  b ^= c;
  b = RotateLeft(b, 12);
  a += b;
  d ^= a;
  d = RotateLeft(d, 8);
  c += d;
  b ^= c;
  b = RotateLeft(b, 7);
}

// §2.3: ten double rounds (a column round, then a diagonal round), add the input state,
// serialise little-endian.
void Block(const Key& key, uint32_t counter, const Nonce& nonce, uint8_t out[kBlockSize]) {
  uint32_t initial[kStateWords];
  uint32_t working[kStateWords];
  InitialState(key, counter, nonce, initial);
  for (int i = 0; i < kStateWords; ++i) working[i] = initial[i];
  for (int round = 0; round < 10; ++round) {
    StateQuarterRound(working, 0, 4, 8, 12);
    StateQuarterRound(working, 1, 5, 9, 13);
    StateQuarterRound(working, 2, 6, 10, 14);
    StateQuarterRound(working, 3, 7, 11, 15);
    StateQuarterRound(working, 0, 5, 10, 15);
    StateQuarterRound(working, 1, 6, 11, 12);
    StateQuarterRound(working, 2, 7, 8, 13);
    StateQuarterRound(working, 3, 4, 9, 14);
  }
  for (int i = 0; i < kStateWords; ++i) StoreLittleEndian(working[i] + initial[i], out + 4 * i);
  Wipe(initial, sizeof(initial));
  Wipe(working, sizeof(working));
}

// §2.4: block j of the keystream (counter initial_counter + j) covers bytes [64j, 64j + 64).
Result<void, Error> Xor(const Key& key, uint32_t initial_counter, const Nonce& nonce,
                        const uint8_t* in, uint8_t* out, size_t length) {
  if (!CounterRangeFits(initial_counter, length)) return Err(Error::kCounterOverflow);
  uint8_t keystream[kBlockSize];
  uint32_t counter = initial_counter;
  size_t done = 0;
  while (done < length) {
    Block(key, counter++, nonce, keystream);
    const size_t remaining = length - done;
    const size_t chunk = remaining < kBlockSize ? remaining : kBlockSize;
    for (size_t i = 0; i < chunk; ++i) {
      out[done + i] = static_cast<uint8_t>((in != nullptr ? in[done + i] : 0) ^ keystream[i]);
    }
    done += chunk;
  }
  Wipe(keystream, sizeof(keystream));
  return Ok<Error>();
}

Result<void, Error> Keystream(const Key& key, uint32_t initial_counter, const Nonce& nonce,
                              uint8_t* out, size_t length) {
  return Xor(key, initial_counter, nonce, nullptr, out, length);
}

}  // namespace hiillos::chacha20
