// lib/zstd/reference_codec.h — libzstd (the reference implementation) as the tests' compressor
// and as the baseline decoder of the fuzzer's cross-check and the benchmark (host only).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <optional>
#include <vector>

namespace hiillos::zstd::testing {

struct CompressOptions {
  int level = 3;              // negative levels are libzstd's "fast" levels
  bool checksum = true;       // content checksum (XXH64)
  bool content_size = true;   // Frame_Content_Size in the header
  bool raw_literals = false;  // never Huffman-compress literals
  bool streaming = false;     // compress in pieces with no pledged size (window descriptor)
  int window_log = 0;         // 0: the level's default
};

// One zstd frame holding `data`. Aborts the test program on a libzstd error.
std::vector<uint8_t> ReferenceCompress(const std::vector<uint8_t>& data,
                                       const CompressOptions& options);

// libzstd's decoder: the decoded bytes, or nullopt on error (output limited to `capacity`).
std::optional<std::vector<uint8_t>> ReferenceDecompress(const uint8_t* data, size_t size,
                                                        size_t capacity);

// libzstd's decoder into out[0, capacity) with one reused decoding context (no allocation per
// call): the number of bytes written, or nullopt on error.
std::optional<size_t> ReferenceDecompressInto(const uint8_t* data, size_t size, uint8_t* out,
                                              size_t capacity);

// A skippable frame (magic 0x184D2A50 + variant) around `payload`.
std::vector<uint8_t> SkippableFrame(const std::vector<uint8_t>& payload, unsigned variant);

// libzstd's XXH64 (exported from the static library as ZSTD_XXH64).
uint64_t ReferenceXxh64(const uint8_t* data, size_t size, uint64_t seed);

}  // namespace hiillos::zstd::testing
