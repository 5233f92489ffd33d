// lib/zstd/fse_table.cc — FSE table descriptions and symbol spreading (RFC 8878 §4.1.1).
#include "lib/zstd/fse_table.h"

#include "lib/zstd/bit_reader.h"
#include "lib/zstd/bytes.h"

namespace hiillos::zstd {

Result<size_t, Error> ReadFseCounts(const uint8_t* src, size_t size, unsigned max_symbol,
                                    unsigned max_accuracy_log, FseCounts* out) {
  ForwardBitReader bits(src, size);
  if (size == 0) return Err(Error::kBadFseTable);
  const unsigned accuracy_log = bits.Read(4) + kMinFseAccuracyLog;
  if (accuracy_log > max_accuracy_log) return Err(Error::kBadFseTable);
  out->accuracy_log = accuracy_log;

  int remaining = (1 << accuracy_log) + 1;
  int threshold = 1 << accuracy_log;
  unsigned value_bits = accuracy_log + 1;
  unsigned symbol = 0;
  bool previous_zero = false;
  while (remaining > 1) {
    if (previous_zero) {
      // 2-bit repeat flags: each says how many more zero counts follow; 3 means "and more".
      unsigned flag;
      do {
        flag = bits.Read(2);
        for (unsigned i = 0; i < flag; ++i) {
          if (symbol > max_symbol) return Err(Error::kBadFseTable);
          out->counts[symbol++] = 0;
        }
        if (bits.Overrun()) return Err(Error::kBadFseTable);
      } while (flag == 3);
    }
    if (symbol > max_symbol) return Err(Error::kBadFseTable);
    // Values below `max` use value_bits - 1 bits; the rest use value_bits.
    const int max = (2 * threshold - 1) - remaining;
    int value;
    const uint32_t low = bits.Peek(value_bits - 1);
    if (int(low) < max) {
      value = int(low);
      bits.Skip(value_bits - 1);
    } else {
      value = int(bits.Peek(value_bits));
      if (value >= threshold) value -= max;
      bits.Skip(value_bits);
    }
    const int count = value - 1;  // -1 means "less than 1"
    remaining -= count < 0 ? -count : count;
    if (remaining < 1) return Err(Error::kBadFseTable);
    out->counts[symbol++] = int16_t(count);
    previous_zero = count == 0;
    while (remaining < threshold) {
      --value_bits;
      threshold >>= 1;
    }
    if (bits.Overrun()) return Err(Error::kBadFseTable);
  }
  if (remaining != 1) return Err(Error::kBadFseTable);
  out->symbol_count = symbol;
  return bits.BytesConsumed();
}

bool BuildFseCells(const FseCounts& counts, FseCell* cells) {
  const unsigned table_size = 1u << counts.accuracy_log;
  const unsigned mask = table_size - 1;
  uint16_t next_state[kMaxFseSymbols];
  // "Less than 1" symbols take one cell each, from the end of the table.
  int high = int(table_size) - 1;
  for (unsigned s = 0; s < counts.symbol_count; ++s) {
    if (counts.counts[s] == -1) {
      if (high < 0) return false;
      cells[high--].symbol = uint8_t(s);
      next_state[s] = 1;
    } else {
      next_state[s] = uint16_t(counts.counts[s]);
    }
  }
  const unsigned step = (table_size >> 1) + (table_size >> 3) + 3;
  unsigned position = 0;
  for (unsigned s = 0; s < counts.symbol_count; ++s) {
    for (int i = 0; i < counts.counts[s]; ++i) {
      if (int(position) > high) return false;
      cells[position].symbol = uint8_t(s);
      do {
        position = (position + step) & mask;
      } while (int(position) > high);
    }
  }
  if (position != 0) return false;
  for (unsigned u = 0; u < table_size; ++u) {
    const unsigned s = cells[u].symbol;
    const unsigned state = next_state[s]++;
    const unsigned bits = counts.accuracy_log - HighBit(state);
    cells[u].bits = uint8_t(bits);
    cells[u].baseline = uint16_t((state << bits) - table_size);
  }
  return true;
}

}  // namespace hiillos::zstd
