// lib/zstd/xxhash64.h — XXH64 (the hash behind zstd's content checksum), one-shot.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::zstd {

// XXH64 of data[0, size) with `seed` (zstd uses seed 0 and keeps the low 32 bits).
uint64_t Xxh64(const uint8_t* data, size_t size, uint64_t seed);

}  // namespace hiillos::zstd
