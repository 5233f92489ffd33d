// lib/zstd/sequence_table.h — the sequences section header and the three FSE decoding tables
// (literal lengths, offsets, match lengths) it selects (RFC 8878 §3.1.1.3.2.1-2).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/zstd/error.h"

namespace hiillos::zstd {

// One decoding state: the code's value (base + extra bits) and the next state's position.
struct SequenceEntry {
  uint16_t next_state_base;
  uint8_t state_bits;
  uint8_t extra_bits;
  uint32_t base_value;
};

struct SequenceTable {
  SequenceEntry entries[1 << 9];
  unsigned accuracy_log;
  bool valid;  // false until a table is defined in this frame (for "repeat" mode)
};

struct SequenceTables {
  SequenceTable literal_lengths;
  SequenceTable offsets;
  SequenceTable match_lengths;
};

struct SequencesHeader {
  size_t consumed;  // header bytes including the table descriptions
  uint32_t count;   // number of sequences
};

// Reads the number of sequences and the compression modes, and builds or keeps each table.
// Errors: kBadSequencesHeader, kReservedBit, kBadFseTable, kMissingTable.
Result<SequencesHeader, Error> ReadSequencesHeader(const uint8_t* src, size_t size,
                                                   SequenceTables* tables);

}  // namespace hiillos::zstd
