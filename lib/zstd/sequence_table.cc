// lib/zstd/sequence_table.cc — sequences section header, predefined distributions and the
// literal length / match length / offset code tables (RFC 8878 §3.1.1.3.2).
#include "lib/zstd/sequence_table.h"

#include "lib/zstd/fse_table.h"

namespace hiillos::zstd {
namespace {

// Literal length codes 0..35: base value and extra bits (RFC 8878 §3.1.1.3.2.1.1).
constexpr uint32_t kLiteralLengthBase[36] = {
    0,  1,  2,  3,  4,  5,  6,  7,  8,   9,   10,  11,   12,   13,   14,   15,    16,    18,
    20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536};
constexpr uint8_t kLiteralLengthBits[36] = {0, 0, 0, 0, 0, 0,  0,  0,  0,  0,  0,  0,
                                            0, 0, 0, 0, 1, 1,  1,  1,  2,  2,  3,  3,
                                            4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

// Match length codes 0..52 (RFC 8878 §3.1.1.3.2.1.1).
constexpr uint32_t kMatchLengthBase[53] = {
    3,  4,  5,  6,  7,  8,  9,  10,  11,  12,  13,   14,   15,   16,   17,    18,    19,   20,
    21, 22, 23, 24, 25, 26, 27, 28,  29,  30,  31,   32,   33,   34,   35,    37,    39,   41,
    43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051, 4099, 8195, 16387, 32771, 65539};
constexpr uint8_t kMatchLengthBits[53] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0,  0,  0,  0,  0, 0,
    0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

// Offset codes: Offset_Value = (1 << code) + code extra bits. Codes above 31 are not decodable
// into 32-bit offsets and are rejected.
constexpr unsigned kMaxOffsetCode = 31;
constexpr uint32_t kOffsetBase[32] = {
    1u << 0,  1u << 1,  1u << 2,  1u << 3,  1u << 4,  1u << 5,  1u << 6,  1u << 7,
    1u << 8,  1u << 9,  1u << 10, 1u << 11, 1u << 12, 1u << 13, 1u << 14, 1u << 15,
    1u << 16, 1u << 17, 1u << 18, 1u << 19, 1u << 20, 1u << 21, 1u << 22, 1u << 23,
    1u << 24, 1u << 25, 1u << 26, 1u << 27, 1u << 28, 1u << 29, 1u << 30, 1u << 31};
constexpr uint8_t kOffsetBits[32] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                     11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                     22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

// Predefined distributions (RFC 8878 §3.1.1.3.2.2.1-3).
constexpr FseCounts kPredefinedLiteralLengths = {
    {4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1,  1,  2,  2,
     2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1},
    36,
    6};
constexpr FseCounts kPredefinedMatchLengths = {
    {1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1,  1,  1,  1,  1,  1, 1,
     1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1},
    53,
    6};
constexpr FseCounts kPredefinedOffsets = {
    {1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1},
    29,
    5};

// What differs between the three kinds of table.
struct CodeKind {
  const uint32_t* base;
  const uint8_t* extra_bits;
  unsigned max_symbol;
  unsigned max_accuracy_log;
  const FseCounts* predefined;
};
constexpr CodeKind kLiteralLengths{kLiteralLengthBase, kLiteralLengthBits, 35, 9,
                                   &kPredefinedLiteralLengths};
constexpr CodeKind kOffsets{kOffsetBase, kOffsetBits, kMaxOffsetCode, 8, &kPredefinedOffsets};
constexpr CodeKind kMatchLengths{kMatchLengthBase, kMatchLengthBits, 52, 9,
                                 &kPredefinedMatchLengths};

enum class Mode : uint8_t { kPredefined = 0, kRle = 1, kCompressed = 2, kRepeat = 3 };

Result<void, Error> BuildFromCounts(const FseCounts& counts, const CodeKind& kind,
                                    SequenceTable* table) {
  FseCell cells[1 << kMaxFseAccuracyLog];
  if (!BuildFseCells(counts, cells)) return Err(Error::kBadFseTable);
  const unsigned size = 1u << counts.accuracy_log;
  for (unsigned u = 0; u < size; ++u) {
    const unsigned symbol = cells[u].symbol;
    table->entries[u] =
        SequenceEntry{cells[u].baseline, cells[u].bits, kind.extra_bits[symbol], kind.base[symbol]};
  }
  table->accuracy_log = counts.accuracy_log;
  table->valid = true;
  return Ok<Error>();
}

// Sets up one table for `mode` from src[0, size); returns the bytes its description used.
Result<size_t, Error> SetUpTable(Mode mode, const uint8_t* src, size_t size, const CodeKind& kind,
                                 SequenceTable* table) {
  switch (mode) {
    case Mode::kPredefined:
      TRY(BuildFromCounts(*kind.predefined, kind, table));
      return size_t{0};
    case Mode::kRle: {
      if (size < 1) return Err(Error::kBadSequencesHeader);
      const unsigned symbol = src[0];
      if (symbol > kind.max_symbol) return Err(Error::kBadFseTable);
      table->entries[0] = SequenceEntry{0, 0, kind.extra_bits[symbol], kind.base[symbol]};
      table->accuracy_log = 0;
      table->valid = true;
      return size_t{1};
    }
    case Mode::kCompressed: {
      table->valid = false;
      FseCounts counts;
      const size_t used =
          TRY(ReadFseCounts(src, size, kind.max_symbol, kind.max_accuracy_log, &counts));
      TRY(BuildFromCounts(counts, kind, table));
      return used;
    }
    case Mode::kRepeat:
      if (!table->valid) return Err(Error::kMissingTable);
      return size_t{0};
  }
  return Err(Error::kBadSequencesHeader);
}

}  // namespace

Result<SequencesHeader, Error> ReadSequencesHeader(const uint8_t* src, size_t size,
                                                   SequenceTables* tables) {
  if (size < 1) return Err(Error::kBadSequencesHeader);
  const unsigned first = src[0];
  size_t position;
  uint32_t count;
  if (first == 0) return SequencesHeader{1, 0};
  if (first < 128) {
    count = first;
    position = 1;
  } else if (first < 255) {
    if (size < 2) return Err(Error::kBadSequencesHeader);
    count = ((first - 128) << 8) + src[1];
    position = 2;
  } else {
    if (size < 3) return Err(Error::kBadSequencesHeader);
    count = src[1] + (uint32_t{src[2]} << 8) + 0x7F00;
    position = 3;
  }
  if (size - position < 1) return Err(Error::kBadSequencesHeader);
  const unsigned modes = src[position++];
  if ((modes & 3) != 0) return Err(Error::kReservedBit);
  position += TRY(SetUpTable(Mode(modes >> 6), src + position, size - position, kLiteralLengths,
                             &tables->literal_lengths));
  position += TRY(SetUpTable(Mode((modes >> 4) & 3), src + position, size - position, kOffsets,
                             &tables->offsets));
  position += TRY(SetUpTable(Mode((modes >> 2) & 3), src + position, size - position, kMatchLengths,
                             &tables->match_lengths));
  return SequencesHeader{position, count};
}

}  // namespace hiillos::zstd
