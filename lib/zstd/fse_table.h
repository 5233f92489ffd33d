// lib/zstd/fse_table.h — FSE (tANS) tables: reading a table description (RFC 8878 §4.1.1) and
// building decoding tables from normalized counts.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/zstd/error.h"

namespace hiillos::zstd {

inline constexpr unsigned kMaxFseSymbols = 53;  // match length codes 0..52 are the most
inline constexpr unsigned kMaxFseAccuracyLog = 9;
inline constexpr unsigned kMinFseAccuracyLog = 5;

// Normalized counts: counts[s] is -1 ("less than 1"), 0 or a positive share of
// 1 << accuracy_log; they add up to exactly 1 << accuracy_log (-1 counting as 1).
struct FseCounts {
  int16_t counts[kMaxFseSymbols];
  unsigned symbol_count;
  unsigned accuracy_log;
};

// Reads a table description at src[0, size) for symbols 0..max_symbol and accuracy logs up to
// max_accuracy_log. Returns the bytes it used. Errors: kBadFseTable.
Result<size_t, Error> ReadFseCounts(const uint8_t* src, size_t size, unsigned max_symbol,
                                    unsigned max_accuracy_log, FseCounts* out);

// Places symbols in the table's cells (RFC 8878 §4.1.1, "symbol spreading") and records for
// each cell the state's number of bits and baseline. `cells` has 1 << counts.accuracy_log
// entries. Returns false for counts that do not fill the table exactly.
struct FseCell {
  uint8_t symbol;
  uint8_t bits;
  uint16_t baseline;
};
bool BuildFseCells(const FseCounts& counts, FseCell* cells);

// Decoding table for Huffman weights (accuracy log <= 6).
inline constexpr unsigned kMaxWeightAccuracyLog = 6;
struct WeightFseTable {
  FseCell cells[1 << kMaxWeightAccuracyLog];
  unsigned accuracy_log;
};

}  // namespace hiillos::zstd
