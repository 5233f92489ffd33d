// lib/zstd/test_data.h — deterministic sample inputs for the decoder's tests, fuzzer seeds and
// benchmark (host only): text, zeros, noise, long repeats, short periods, a tar-like archive.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vector>

namespace hiillos::zstd::testing {

enum class DataKind { kText, kZeros, kRandom, kLongRepeats, kShortPeriods, kMixed };
inline constexpr DataKind kAllDataKinds[] = {DataKind::kText,         DataKind::kZeros,
                                             DataKind::kRandom,       DataKind::kLongRepeats,
                                             DataKind::kShortPeriods, DataKind::kMixed};
const char* DataKindName(DataKind kind);

// `size` bytes of the given kind; the same (kind, size, seed) always gives the same bytes.
std::vector<uint8_t> MakeData(DataKind kind, size_t size, uint64_t seed);

// A ustar-like archive of about `size` bytes: 512-byte headers, text files, binary-looking
// files (tables of little-endian integers and code-like bytes), zero padding.
std::vector<uint8_t> MakeTarLike(size_t size, uint64_t seed);

}  // namespace hiillos::zstd::testing
