// lib/zstd/literals.cc — decodes raw, RLE and Huffman-compressed literals sections.
#include "lib/zstd/literals.h"

#include "lib/zstd/bytes.h"

namespace hiillos::zstd {

Result<LiteralsHeader, Error> ReadLiteralsHeader(const uint8_t* block, size_t size) {
  if (size == 0) return Err(Error::kBadLiterals);
  LiteralsHeader field{};
  field.type = LiteralsType(block[0] & 3);
  const unsigned format = (block[0] >> 2) & 3;
  if (field.type == LiteralsType::kRaw || field.type == LiteralsType::kRle) {
    if (format == 0 || format == 2) {
      field.header_size = 1;
      field.regenerated = block[0] >> 3;
    } else if (format == 1) {
      if (size < 2) return Err(Error::kBadLiterals);
      field.header_size = 2;
      field.regenerated = (block[0] >> 4) + (size_t{block[1]} << 4);
    } else {
      if (size < 3) return Err(Error::kBadLiterals);
      field.header_size = 3;
      field.regenerated = Load24(block) >> 4;
    }
    return field;
  }
  field.four_streams = format != 0;
  field.header_size = format <= 1 ? 3 : format == 2 ? 4 : 5;
  if (size < field.header_size) return Err(Error::kBadLiterals);
  uint64_t bits = 0;
  for (size_t i = 0; i < field.header_size; ++i) bits |= uint64_t{block[i]} << (8 * i);
  const unsigned width = format <= 1 ? 10 : format == 2 ? 14 : 18;
  const uint64_t mask = (uint64_t{1} << width) - 1;
  field.regenerated = (bits >> 4) & mask;
  field.compressed = (bits >> (4 + width)) & mask;
  return field;
}

Result<LiteralsSection, Error> DecodeLiterals(const uint8_t* block, size_t size, size_t max_count,
                                              LiteralsState* state, uint8_t* buffer) {
  const LiteralsHeader field = TRY(ReadLiteralsHeader(block, size));
  const LiteralsType type = field.type;
  if (field.regenerated > max_count) return Err(Error::kBadLiterals);
  const uint8_t* payload = block + field.header_size;
  const size_t available = size - field.header_size;
  const size_t count = field.regenerated;

  switch (type) {
    case LiteralsType::kRaw:
      if (available < count) return Err(Error::kBadLiterals);
      __builtin_memcpy(buffer, payload, count);
      return LiteralsSection{field.header_size + count, count};
    case LiteralsType::kRle:
      if (available < 1) return Err(Error::kBadLiterals);
      __builtin_memset(buffer, payload[0], count);
      return LiteralsSection{field.header_size + 1, count};
    case LiteralsType::kCompressed:
    case LiteralsType::kTreeless:
      break;
  }
  if (field.compressed > available) return Err(Error::kBadLiterals);
  size_t tree_size = 0;
  if (type == LiteralsType::kCompressed) {
    state->huffman_valid = false;
    tree_size = TRY(ReadHuffmanTable(payload, field.compressed, &state->huffman));
    state->huffman_valid = true;
  } else if (!state->huffman_valid) {
    return Err(Error::kMissingTable);
  }
  const uint8_t* streams = payload + tree_size;
  const size_t streams_size = field.compressed - tree_size;
  if (field.four_streams) {
    TRY(DecodeHuffmanStreams4(state->huffman, streams, streams_size, buffer, count));
  } else {
    TRY(DecodeHuffmanStream(state->huffman, streams, streams_size, buffer, count));
  }
  return LiteralsSection{field.header_size + field.compressed, count};
}

}  // namespace hiillos::zstd
