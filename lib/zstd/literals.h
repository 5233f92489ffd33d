// lib/zstd/literals.h — the literals section of a compressed block (RFC 8878 §3.1.1.3.1).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/zstd/error.h"
#include "lib/zstd/huffman.h"

namespace hiillos::zstd {

// Extra bytes after the literals in their buffer, so that copies may run 16 bytes at a time.
inline constexpr size_t kLiteralsSlack = 32;

// The Huffman table a "treeless" literals section reuses; reset at the start of every frame.
struct LiteralsState {
  HuffmanTable huffman;
  bool huffman_valid;
};

enum class LiteralsType : uint8_t { kRaw = 0, kRle = 1, kCompressed = 2, kTreeless = 3 };

// The section header: 1 to 5 bytes whose layout depends on the type and the size format.
struct LiteralsHeader {
  LiteralsType type;
  size_t header_size;
  size_t regenerated;  // literals the section decodes to
  size_t compressed;   // payload bytes of compressed and treeless sections
  bool four_streams;   // compressed and treeless sections
};
// Errors: kBadLiterals (header runs past `size`).
Result<LiteralsHeader, Error> ReadLiteralsHeader(const uint8_t* block, size_t size);

struct LiteralsSection {
  size_t consumed;  // bytes of the block the section used
  size_t count;     // literals now in the buffer
};

// Decodes the literals section at the start of block[0, size) into `buffer` (room for
// max_count + kLiteralsSlack bytes). Errors: kBadLiterals, kBadHuffmanTable, kBadFseTable,
// kBadHuffmanStream, kMissingTable.
Result<LiteralsSection, Error> DecodeLiterals(const uint8_t* block, size_t size, size_t max_count,
                                              LiteralsState* state, uint8_t* buffer);

}  // namespace hiillos::zstd
