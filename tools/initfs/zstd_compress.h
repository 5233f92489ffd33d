// tools/initfs/zstd_compress.h — deterministic zstd compression of the initfs archive.
#pragma once

#include <stdint.h>

#include <vector>

#include "tools/initfs/expected.h"

namespace hiillos::initfs {

inline constexpr int kDefaultZstdLevel = 19;

// True for the levels CompressZstd accepts: 1..ZSTD_maxCLevel() (22 with zstd 1.5).
bool IsValidZstdLevel(int level);

// One zstd frame at `level` (1..ZSTD_maxCLevel()), single-threaded, with the content size in
// the frame header and an XXH64 content checksum: the same input always gives the same bytes.
Expected<std::vector<uint8_t>> CompressZstd(const std::vector<uint8_t>& data, int level);

}  // namespace hiillos::initfs
