// lib/zstd/sequence_execute.cc — the sequence decoding loop: FSE states, repeat offsets and
// bounded copies. Copies run 16 bytes at a time when the output buffer has room for the
// overshoot, and byte by byte near its end.
#include "lib/zstd/sequence_execute.h"

#include "lib/zstd/bit_reader.h"
#include "lib/zstd/bytes.h"

namespace hiillos::zstd {
namespace {

// Room a fast copy may write past the end of a sequence.
constexpr size_t kWildCopyOvershoot = 32;

struct Sequence {
  uint32_t literal_length;
  uint32_t match_length;
  uint32_t offset;
};

// The three repeat offsets (RFC 8878 §3.1.1.5), as scalars so that they stay in registers.
struct RepeatOffsets {
  uint32_t rep0;
  uint32_t rep1;
  uint32_t rep2;

  // Resolves an Offset_Value into the offset of the current match (rep0 afterwards). A result
  // of 0 (repeat offset 1 minus 1 when it is 1) is invalid and rejected by the caller.
  inline uint32_t Resolve(uint32_t offset_value, uint32_t literal_length) {
    if (offset_value > 3) {
      rep2 = rep1;
      rep1 = rep0;
      rep0 = offset_value - 3;
      return rep0;
    }
    const unsigned index = offset_value - 1 + (literal_length == 0 ? 1 : 0);  // 0..3
    if (index == 0) return rep0;
    const uint32_t offset = index == 1 ? rep1 : index == 2 ? rep2 : rep0 - 1;
    if (index != 1) rep2 = rep1;
    rep1 = rep0;
    rep0 = offset;
    return offset;
  }
};

inline void Copy4(uint8_t* dst, const uint8_t* src) {
  __builtin_memcpy(dst, src, 4);
}
inline void Copy8(uint8_t* dst, const uint8_t* src) {
  __builtin_memcpy(dst, src, 8);
}

// Copies 16-byte chunks until `length` bytes are done (at least one chunk, so up to 16 bytes
// beyond; `length` 0 is fine). src must be at least 16 bytes behind dst, or not overlap it.
inline void WildCopy16(uint8_t* dst, const uint8_t* src, size_t length) {
  size_t i = 0;
  do {
    Copy16(dst + i, src + i);
    i += 16;
  } while (i < length);
}

// For offsets below 8: the smallest multiples of the offset that are at least 4 and 8. Bytes of
// a match repeat with period `offset`, so once enough bytes are written, 4- and 8-byte copies
// from those distances reproduce it.
constexpr uint8_t kWide4[8] = {0, 4, 4, 6, 4, 5, 6, 7};
constexpr uint8_t kWide8[8] = {0, 8, 8, 9, 8, 10, 12, 14};

// Copies a match of `length` (>= 3) bytes from `offset` bytes back, writing up to 16 bytes
// beyond.
inline void WildMatchCopy(uint8_t* op, size_t offset, size_t length) {
  const uint8_t* match = op - offset;
  if (offset >= 16) {
    WildCopy16(op, match, length);
    return;
  }
  if (offset >= 8) {
    Copy8(op, match);
    for (size_t i = 8; i < length; i += 8) Copy8(op + i, match + i);
    return;
  }
  // The first 8 bytes: 4 (one by one when they overlap), then 4 more from a wider distance.
  if (offset >= 4) {
    Copy4(op, match);
  } else {
    op[0] = match[0];
    op[1] = match[1];
    op[2] = match[2];
    op[3] = match[3];
  }
  Copy4(op + 4, op + 4 - kWide4[offset]);
  const size_t wide = kWide8[offset];
  for (size_t i = 8; i < length; i += 8) Copy8(op + i, op + i - wide);
}

inline void ExactMatchCopy(uint8_t* op, size_t offset, size_t length) {
  const uint8_t* match = op - offset;
  for (size_t i = 0; i < length; ++i) op[i] = match[i];
}

// The sequences bitstream mid-decode: the reader, the three FSE states, the repeat offsets.
struct SequenceDecoder {
  BackwardBitReader bits;
  const SequenceTables* tables;
  unsigned ll_state;
  unsigned of_state;
  unsigned ml_state;
  RepeatOffsets rep;
};

// Decodes `n` sequences into `batch`; the states are not advanced after the stream's very last
// sequence (`last_batch`). Decoding and executing in separate loops keeps each loop's state in
// registers.
__attribute__((noinline)) void DecodeBatch(SequenceDecoder& decoder, Sequence* batch, uint32_t n,
                                           bool last_batch) {
  SequenceDecoder d = decoder;
  const uint32_t updates = last_batch ? n - 1 : n;
  for (uint32_t i = 0; i < n; ++i) {
    const SequenceEntry ll = d.tables->literal_lengths.entries[d.ll_state];
    const SequenceEntry of = d.tables->offsets.entries[d.of_state];
    const SequenceEntry ml = d.tables->match_lengths.entries[d.ml_state];
    // Extra bits in the order offset, match length, literal length (at most 31+16+16 bits).
    const uint32_t offset_value = of.base_value + uint32_t(d.bits.Read(of.extra_bits));
    Sequence& seq = batch[i];
    seq.match_length = ml.base_value + uint32_t(d.bits.Read(ml.extra_bits));
    if (of.extra_bits + ml.extra_bits + ll.extra_bits > 30) d.bits.Reload();
    seq.literal_length = ll.base_value + uint32_t(d.bits.Read(ll.extra_bits));
    seq.offset = d.rep.Resolve(offset_value, seq.literal_length);
    if (i < updates) {
      // State updates in the order literal length, match length, offset (<= 26 bits).
      d.ll_state = ll.next_state_base + unsigned(d.bits.Read(ll.state_bits));
      d.ml_state = ml.next_state_base + unsigned(d.bits.Read(ml.state_bits));
      d.of_state = of.next_state_base + unsigned(d.bits.Read(of.state_bits));
    }
    d.bits.Reload();
  }
  decoder = d;
}

constexpr uint32_t kBatchSize = 64;

}  // namespace

Result<uint8_t*, Error> ExecuteSequences(const uint8_t* stream, size_t size, uint32_t count,
                                         const SequenceTables& tables, LiteralsView literals,
                                         const BlockOutput& out, uint32_t repeat_offsets[3]) {
  const uint8_t* literal = literals.data;
  const uint8_t* const literal_end = literals.data + literals.count;
  // Locals, not `out`'s fields: byte stores to the output may alias any memory, so the
  // compiler would reload the fields after every copy.
  uint8_t* op = out.position;
  uint8_t* const frame_start = out.frame_start;
  uint8_t* const block_limit = out.block_limit;
  uint8_t* const buffer_end = out.buffer_end;
  if (count > 0) {
    SequenceDecoder decoder;
    if (!decoder.bits.Init(stream, size)) return Err(Error::kBadSequenceStream);
    decoder.tables = &tables;
    decoder.ll_state = unsigned(decoder.bits.Read(tables.literal_lengths.accuracy_log));
    decoder.of_state = unsigned(decoder.bits.Read(tables.offsets.accuracy_log));
    decoder.ml_state = unsigned(decoder.bits.Read(tables.match_lengths.accuracy_log));
    decoder.bits.Reload();
    decoder.rep = RepeatOffsets{repeat_offsets[0], repeat_offsets[1], repeat_offsets[2]};
    Sequence batch[kBatchSize];
    for (uint32_t done = 0; done < count;) {
      const uint32_t n = count - done < kBatchSize ? count - done : kBatchSize;
      done += n;
      DecodeBatch(decoder, batch, n, done == count);
      for (uint32_t i = 0; i < n; ++i) {
        const Sequence seq = batch[i];
        if (seq.literal_length > size_t(literal_end - literal)) {
          return Err(Error::kBadLiteralLength);
        }
        const size_t total = size_t{seq.literal_length} + seq.match_length;
        if (total > size_t(block_limit - op)) return Err(out.overflow_error);
        if (seq.offset == 0 || seq.offset > size_t(op - frame_start) + seq.literal_length) {
          return Err(Error::kBadOffset);
        }
        if (size_t(buffer_end - op) - total >= kWildCopyOvershoot) {
          WildCopy16(op, literal, seq.literal_length);
          WildMatchCopy(op + seq.literal_length, seq.offset, seq.match_length);
        } else {
          for (size_t k = 0; k < seq.literal_length; ++k) op[k] = literal[k];
          ExactMatchCopy(op + seq.literal_length, seq.offset, seq.match_length);
        }
        literal += seq.literal_length;
        op += total;
      }
    }
    if (!decoder.bits.Finished()) return Err(Error::kBadSequenceStream);
    repeat_offsets[0] = decoder.rep.rep0;
    repeat_offsets[1] = decoder.rep.rep1;
    repeat_offsets[2] = decoder.rep.rep2;
  } else if (size != 0) {
    return Err(Error::kBadSequenceStream);
  }
  const size_t rest = size_t(literal_end - literal);
  if (rest > size_t(block_limit - op)) return Err(out.overflow_error);
  __builtin_memcpy(op, literal, rest);
  return op + rest;
}

}  // namespace hiillos::zstd
