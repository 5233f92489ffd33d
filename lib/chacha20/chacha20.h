// lib/chacha20/chacha20.h — the ChaCha20 block function and stream cipher of RFC 8439 §2.1–2.4.
//
// 256-bit key, 96-bit nonce, 32-bit block counter (the IETF variant). Stream functions check
// before writing anything that the counter does not wrap (at most 2^32 blocks per key and nonce).
// Freestanding: no libc, no tables, constant-time (add, rotate, xor only).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"

namespace hiillos::chacha20 {

inline constexpr size_t kKeySize = 32;
inline constexpr size_t kNonceSize = 12;
inline constexpr size_t kBlockSize = 64;

struct Key {
  uint8_t bytes[kKeySize];
};
struct Nonce {
  uint8_t bytes[kNonceSize];
};

enum class Error : uint8_t {
  kCounterOverflow,  // the request needs block counters beyond 2^32 - 1
};
const char* ErrorName(Error error);

// RFC 8439 §2.1: the quarter round on four words of the state.
void QuarterRound(uint32_t& a, uint32_t& b, uint32_t& c, uint32_t& d);

// RFC 8439 §2.3: one 64-byte keystream block (state after 20 rounds plus the input state,
// serialised little-endian).
void Block(const Key& key, uint32_t counter, const Nonce& nonce, uint8_t out[kBlockSize]);

// RFC 8439 §2.4: out[i] = in[i] ^ keystream[i] for i < length, the keystream starting at block
// `initial_counter`. `in` and `out` may be the same buffer; a null `in` reads as zeros.
// Errors: kCounterOverflow (nothing written).
Result<void, Error> Xor(const Key& key, uint32_t initial_counter, const Nonce& nonce,
                        const uint8_t* in, uint8_t* out, size_t length);

// The keystream alone (Xor over zeros). Errors: kCounterOverflow (nothing written).
Result<void, Error> Keystream(const Key& key, uint32_t initial_counter, const Nonce& nonce,
                              uint8_t* out, size_t length);

}  // namespace hiillos::chacha20
