// lib/zstd/huffman_table.cc — reads a Huffman tree description (RFC 8878 §4.2.1) and builds the
// decoding table from the symbol weights.
#include "lib/zstd/bit_reader.h"
#include "lib/zstd/bytes.h"
#include "lib/zstd/fse_table.h"
#include "lib/zstd/huffman.h"

namespace hiillos::zstd {
namespace {

inline constexpr size_t kMaxWeights = 255;  // the last of up to 256 symbols is implied

// Weights compressed with FSE: two interleaved states over one backward bitstream. Returns the
// number of weights decoded into weights[0, kMaxWeights).
Result<size_t, Error> DecodeFseWeights(const uint8_t* src, size_t size, uint8_t* weights) {
  FseCounts counts;
  const size_t header =
      TRY(ReadFseCounts(src, size, kMaxHuffmanBits + 1, kMaxWeightAccuracyLog, &counts));
  WeightFseTable table;
  table.accuracy_log = counts.accuracy_log;
  if (!BuildFseCells(counts, table.cells)) return Err(Error::kBadFseTable);
  BackwardBitReader bits;
  if (!bits.Init(src + header, size - header)) return Err(Error::kBadHuffmanTable);
  unsigned states[2];
  states[0] = unsigned(bits.Read(table.accuracy_log));
  states[1] = unsigned(bits.Read(table.accuracy_log));
  bits.Reload();
  size_t count = 0;
  // Alternate between the states; when an update reads past the end of the stream, the other
  // state's symbol is the last one.
  for (unsigned which = 0;; which ^= 1) {
    if (count + 2 > kMaxWeights) return Err(Error::kBadHuffmanTable);
    const FseCell& cell = table.cells[states[which]];
    weights[count++] = cell.symbol;
    states[which] = cell.baseline + unsigned(bits.Read(cell.bits));
    bits.Reload();
    if (bits.Overrun()) {
      weights[count++] = table.cells[states[which ^ 1]].symbol;
      return count;
    }
  }
}

// Fills `table` from weights[0, count) plus the implied last weight.
Result<void, Error> BuildTable(uint8_t* weights, size_t count, HuffmanTable* table) {
  uint32_t rank_count[kMaxHuffmanBits + 1] = {};
  uint32_t total = 0;
  for (size_t s = 0; s < count; ++s) {
    if (weights[s] > kMaxHuffmanBits) return Err(Error::kBadHuffmanTable);
    ++rank_count[weights[s]];
    total += (1u << weights[s]) >> 1;
  }
  if (total == 0) return Err(Error::kBadHuffmanTable);
  const unsigned table_log = HighBit(total) + 1;
  if (table_log > kMaxHuffmanBits) return Err(Error::kBadHuffmanTable);
  const uint32_t rest = (1u << table_log) - total;
  if ((rest & (rest - 1)) != 0) return Err(Error::kBadHuffmanTable);
  const unsigned last_weight = HighBit(rest) + 1;
  weights[count] = uint8_t(last_weight);
  ++rank_count[last_weight];

  // Codes of weight w take 2^(w-1) consecutive entries; the lowest weights come first.
  uint32_t next[kMaxHuffmanBits + 2];
  next[1] = 0;
  for (unsigned w = 1; w <= kMaxHuffmanBits; ++w)
    next[w + 1] = next[w] + (rank_count[w] << (w - 1));
  table->table_log = table_log;
  for (size_t s = 0; s <= count; ++s) {
    const unsigned w = weights[s];
    if (w == 0) continue;
    const HuffmanEntry entry{uint8_t(s), uint8_t(table_log + 1 - w)};
    const uint32_t length = 1u << (w - 1);
    for (uint32_t i = 0; i < length; ++i) table->entries[next[w] + i] = entry;
    next[w] += length;
  }
  return Ok<Error>();
}

}  // namespace

Result<size_t, Error> ReadHuffmanTable(const uint8_t* src, size_t size, HuffmanTable* table) {
  if (size == 0) return Err(Error::kBadHuffmanTable);
  const unsigned header = src[0];
  uint8_t weights[kMaxWeights + 1];
  size_t count;
  size_t used;
  if (header < 128) {
    // FSE-compressed weights, `header` bytes.
    if (header == 0 || size - 1 < header) return Err(Error::kBadHuffmanTable);
    count = TRY(DecodeFseWeights(src + 1, header, weights));
    used = 1 + header;
  } else {
    // Direct representation: 4 bits per weight, the first in the high nibble.
    count = header - 127;
    used = 1 + (count + 1) / 2;
    if (size < used) return Err(Error::kBadHuffmanTable);
    for (size_t i = 0; i < count; ++i) {
      const uint8_t byte = src[1 + i / 2];
      weights[i] = (i & 1) ? (byte & 15) : (byte >> 4);
    }
  }
  TRY(BuildTable(weights, count, table));
  return used;
}

}  // namespace hiillos::zstd
