// lib/zstd/huffman.h — Huffman-coded literals: the tree description (RFC 8878 §4.2.1) and
// decoding of one or four interleaved backward bitstreams (§4.2.2).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/zstd/error.h"

namespace hiillos::zstd {

inline constexpr unsigned kMaxHuffmanBits = 11;

// A direct lookup table: the next table_log bits of the stream index the entry that gives the
// symbol and how many of those bits its code really uses.
struct HuffmanEntry {
  uint8_t symbol;
  uint8_t bits;
};
struct HuffmanTable {
  HuffmanEntry entries[1 << kMaxHuffmanBits];
  unsigned table_log;
};

// Reads a Huffman tree description at src[0, size) into `table`. Returns the bytes it used.
// Errors: kBadHuffmanTable, kBadFseTable (its FSE-compressed weights).
Result<size_t, Error> ReadHuffmanTable(const uint8_t* src, size_t size, HuffmanTable* table);

// Decodes exactly `count` symbols from one stream src[0, size), which must end exactly with
// them. Errors: kBadHuffmanStream.
Result<void, Error> DecodeHuffmanStream(const HuffmanTable& table, const uint8_t* src, size_t size,
                                        uint8_t* dst, size_t count);

// Decodes `count` symbols from four streams behind a 6-byte jump table at src[0, size).
// Errors: kBadHuffmanStream.
Result<void, Error> DecodeHuffmanStreams4(const HuffmanTable& table, const uint8_t* src,
                                          size_t size, uint8_t* dst, size_t count);

}  // namespace hiillos::zstd
