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

// Resolves an Offset_Value into an offset and updates the repeat offsets (RFC 8878
// §3.1.1.5). Returns 0 for the invalid "repeat offset 1 minus 1" of 0.
inline uint32_t ResolveOffset(uint32_t offset_value, uint32_t literal_length, uint32_t rep[3]) {
  if (offset_value > 3) {
    rep[2] = rep[1];
    rep[1] = rep[0];
    rep[0] = offset_value - 3;
    return rep[0];
  }
  const unsigned index = offset_value - 1 + (literal_length == 0 ? 1 : 0);
  if (index == 0) return rep[0];
  const uint32_t offset = index == 3 ? rep[0] - 1 : rep[index];
  if (index != 1) rep[2] = rep[1];
  rep[1] = rep[0];
  rep[0] = offset;
  return offset;
}

// Copies a match of `length` bytes from `offset` bytes back, writing up to 16 bytes beyond.
inline void WildMatchCopy(uint8_t* op, size_t offset, size_t length) {
  if (offset >= 16) {
    const uint8_t* match = op - offset;
    for (size_t i = 0; i < length; i += 16) Copy16(op + i, match + i);
    return;
  }
  // Short offsets: the first bytes one by one, then 16-byte copies from a distance that is a
  // multiple of `offset` (the output repeats with that period).
  const size_t wide = offset * ((16 + offset - 1) / offset);
  size_t head = wide - offset;
  if (head > length) head = length;
  const uint8_t* match = op - offset;
  for (size_t i = 0; i < head; ++i) op[i] = match[i];
  for (size_t i = head; i < length; i += 16) Copy16(op + i, op + i - wide);
}

inline void ExactMatchCopy(uint8_t* op, size_t offset, size_t length) {
  const uint8_t* match = op - offset;
  for (size_t i = 0; i < length; ++i) op[i] = match[i];
}

}  // namespace

Result<uint8_t*, Error> ExecuteSequences(const uint8_t* stream, size_t size, uint32_t count,
                                         const SequenceTables& tables, LiteralsView literals,
                                         const BlockOutput& out, uint32_t repeat_offsets[3]) {
  const uint8_t* literal = literals.data;
  const uint8_t* const literal_end = literals.data + literals.count;
  uint8_t* op = out.position;
  if (count > 0) {
    BackwardBitReader bits;
    if (!bits.Init(stream, size)) return Err(Error::kBadSequenceStream);
    const SequenceEntry* ll_table = tables.literal_lengths.entries;
    const SequenceEntry* of_table = tables.offsets.entries;
    const SequenceEntry* ml_table = tables.match_lengths.entries;
    unsigned ll_state = unsigned(bits.Read(tables.literal_lengths.accuracy_log));
    unsigned of_state = unsigned(bits.Read(tables.offsets.accuracy_log));
    unsigned ml_state = unsigned(bits.Read(tables.match_lengths.accuracy_log));
    bits.Reload();
    uint32_t rep[3] = {repeat_offsets[0], repeat_offsets[1], repeat_offsets[2]};
    for (uint32_t i = 0; i < count; ++i) {
      const SequenceEntry ll = ll_table[ll_state];
      const SequenceEntry of = of_table[of_state];
      const SequenceEntry ml = ml_table[ml_state];
      // Extra bits in the order offset, match length, literal length (at most 31+16+16 bits).
      const uint32_t offset_value = of.base_value + uint32_t(bits.Read(of.extra_bits));
      Sequence seq;
      seq.match_length = ml.base_value + uint32_t(bits.Read(ml.extra_bits));
      if (of.extra_bits + ml.extra_bits + ll.extra_bits > 30) bits.Reload();
      seq.literal_length = ll.base_value + uint32_t(bits.Read(ll.extra_bits));
      seq.offset = ResolveOffset(offset_value, seq.literal_length, rep);
      if (i + 1 < count) {
        // State updates in the order literal length, match length, offset (<= 26 bits).
        ll_state = ll.next_state_base + unsigned(bits.Read(ll.state_bits));
        ml_state = ml.next_state_base + unsigned(bits.Read(ml.state_bits));
        of_state = of.next_state_base + unsigned(bits.Read(of.state_bits));
      }
      bits.Reload();

      if (seq.literal_length > size_t(literal_end - literal)) return Err(Error::kBadLiteralLength);
      const size_t total = size_t{seq.literal_length} + seq.match_length;
      if (total > size_t(out.block_limit - op)) return Err(out.overflow_error);
      if (seq.offset == 0 || seq.offset > size_t(op - out.frame_start) + seq.literal_length) {
        return Err(Error::kBadOffset);
      }
      if (size_t(out.buffer_end - op) - total >= kWildCopyOvershoot) {
        for (size_t k = 0; k < seq.literal_length; k += 16) Copy16(op + k, literal + k);
        WildMatchCopy(op + seq.literal_length, seq.offset, seq.match_length);
      } else {
        for (size_t k = 0; k < seq.literal_length; ++k) op[k] = literal[k];
        ExactMatchCopy(op + seq.literal_length, seq.offset, seq.match_length);
      }
      literal += seq.literal_length;
      op += total;
    }
    if (!bits.Finished()) return Err(Error::kBadSequenceStream);
    repeat_offsets[0] = rep[0];
    repeat_offsets[1] = rep[1];
    repeat_offsets[2] = rep[2];
  } else if (size != 0) {
    return Err(Error::kBadSequenceStream);
  }
  const size_t rest = size_t(literal_end - literal);
  if (rest > size_t(out.block_limit - op)) return Err(out.overflow_error);
  __builtin_memcpy(op, literal, rest);
  return op + rest;
}

}  // namespace hiillos::zstd
