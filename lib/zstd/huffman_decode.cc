// lib/zstd/huffman_decode.cc — decodes Huffman-coded literals from one or four backward
// bitstreams (RFC 8878 §4.2.2). Hot loop: four symbols per stream per container refill.
#include "lib/zstd/bit_reader.h"
#include "lib/zstd/bytes.h"
#include "lib/zstd/huffman.h"

namespace hiillos::zstd {
namespace {

inline uint8_t DecodeSymbol(BackwardBitReader& bits, const HuffmanEntry* entries,
                            unsigned table_log) {
  const HuffmanEntry entry = entries[bits.PeekNonZero(table_log)];
  bits.Skip(entry.bits);
  return entry.symbol;
}

// Decodes until `op` reaches `end`, one symbol per refill (the slow tail of a stream).
inline void DecodeTail(BackwardBitReader& bits, const HuffmanTable& table, uint8_t* op,
                       uint8_t* end) {
  while (op < end) {
    bits.Reload();
    *op++ = DecodeSymbol(bits, table.entries, table.table_log);
  }
}

}  // namespace

Result<void, Error> DecodeHuffmanStream(const HuffmanTable& table, const uint8_t* src, size_t size,
                                        uint8_t* dst, size_t count) {
  BackwardBitReader bits;
  if (!bits.Init(src, size)) return Err(Error::kBadHuffmanStream);
  const HuffmanEntry* entries = table.entries;
  const unsigned log = table.table_log;
  uint8_t* op = dst;
  uint8_t* const end = dst + count;
  // 4 symbols of at most 11 bits fit the >= 56 bits a full refill leaves.
  while (end - op >= 4 && bits.Reload()) {
    op[0] = DecodeSymbol(bits, entries, log);
    op[1] = DecodeSymbol(bits, entries, log);
    op[2] = DecodeSymbol(bits, entries, log);
    op[3] = DecodeSymbol(bits, entries, log);
    op += 4;
  }
  DecodeTail(bits, table, op, end);
  bits.Reload();
  if (!bits.Finished()) return Err(Error::kBadHuffmanStream);
  return Ok<Error>();
}

Result<void, Error> DecodeHuffmanStreams4(const HuffmanTable& table, const uint8_t* src,
                                          size_t size, uint8_t* dst, size_t count) {
  if (size < 10) return Err(Error::kBadHuffmanStream);
  const size_t size1 = Load16(src);
  const size_t size2 = Load16(src + 2);
  const size_t size3 = Load16(src + 4);
  const size_t streams = size - 6;
  if (size1 + size2 + size3 >= streams) return Err(Error::kBadHuffmanStream);
  const size_t size4 = streams - size1 - size2 - size3;
  const size_t segment = (count + 3) / 4;
  if (3 * segment > count) return Err(Error::kBadHuffmanStream);

  const uint8_t* stream = src + 6;
  BackwardBitReader bits[4];
  const size_t sizes[4] = {size1, size2, size3, size4};
  uint8_t* op[4];
  uint8_t* end[4];
  for (int i = 0; i < 4; ++i) {
    if (!bits[i].Init(stream, sizes[i])) return Err(Error::kBadHuffmanStream);
    stream += sizes[i];
    op[i] = dst + i * segment;
    end[i] = i == 3 ? dst + count : op[i] + segment;
  }
  const HuffmanEntry* entries = table.entries;
  const unsigned log = table.table_log;
  // The fourth segment is the shortest, so its room bounds all four.
  while (end[3] - op[3] >= 4) {
    // Refill all four (no short-circuit), then stop if any is near the start of its stream.
    const int full = int(bits[0].Reload()) & int(bits[1].Reload()) & int(bits[2].Reload()) &
                     int(bits[3].Reload());
    if (full == 0) break;
    for (int k = 0; k < 4; ++k) {
      op[0][k] = DecodeSymbol(bits[0], entries, log);
      op[1][k] = DecodeSymbol(bits[1], entries, log);
      op[2][k] = DecodeSymbol(bits[2], entries, log);
      op[3][k] = DecodeSymbol(bits[3], entries, log);
    }
    for (int i = 0; i < 4; ++i) op[i] += 4;
  }
  for (int i = 0; i < 4; ++i) {
    DecodeTail(bits[i], table, op[i], end[i]);
    bits[i].Reload();
    if (!bits[i].Finished()) return Err(Error::kBadHuffmanStream);
  }
  return Ok<Error>();
}

}  // namespace hiillos::zstd
