// lib/zstd/decompress.cc — frames and blocks: the decoder's top level (RFC 8878 §3.1).
#include "lib/zstd/decompress.h"

#include "lib/zstd/bytes.h"
#include "lib/zstd/sequence_execute.h"
#include "lib/zstd/xxhash64.h"

namespace hiillos::zstd {
namespace {

// A compressed block: literals section, then sequences section (RFC 8878 §3.1.1.3).
Result<uint8_t*, Error> DecodeCompressedBlock(const uint8_t* block, size_t size,
                                              size_t max_block_output, const BlockOutput& out,
                                              Workspace& ws) {
  const LiteralsSection literals =
      TRY(DecodeLiterals(block, size, max_block_output, &ws.literals_state, ws.literals));
  const uint8_t* sequences = block + literals.consumed;
  const size_t sequences_size = size - literals.consumed;
  const SequencesHeader header =
      TRY(ReadSequencesHeader(sequences, sequences_size, &ws.sequence_tables));
  return ExecuteSequences(sequences + header.consumed, sequences_size - header.consumed,
                          header.count, ws.sequence_tables,
                          LiteralsView{ws.literals, literals.count}, out, ws.repeat_offsets);
}

void ResetFrameState(Workspace& ws) {
  ws.literals_state.huffman_valid = false;
  ws.sequence_tables.literal_lengths.valid = false;
  ws.sequence_tables.offsets.valid = false;
  ws.sequence_tables.match_lengths.valid = false;
  ws.repeat_offsets[0] = 1;
  ws.repeat_offsets[1] = 4;
  ws.repeat_offsets[2] = 8;
}

// Decodes the zstd frame whose header was parsed from src; `*position` moves past the frame,
// `*op` past its output.
Result<void, Error> DecodeFrame(const FrameHeader& header, const uint8_t* src, size_t size,
                                size_t* position, uint8_t** op, uint8_t* dst_end, Workspace& ws) {
  if (header.dictionary_id != 0) return Err(Error::kDictionaryUnsupported);
  uint8_t* const frame_start = *op;
  if (header.has_content_size && header.content_size > uint64_t(dst_end - frame_start)) {
    return Err(Error::kOutputTooSmall);
  }
  const size_t max_block =
      header.window_size < kMaxBlockSize ? size_t(header.window_size) : kMaxBlockSize;
  ResetFrameState(ws);
  size_t p = *position + header.header_size;
  uint8_t* out = frame_start;
  for (;;) {
    if (size - p < kBlockHeaderSize) return Err(Error::kTruncated);
    const BlockHeader block = DecodeBlockHeader(src + p);
    p += kBlockHeaderSize;
    if (block.type == BlockType::kReserved || block.size > max_block) return Err(Error::kBadBlock);
    if (size - p < BlockInputSize(block)) return Err(Error::kTruncated);
    const size_t room = size_t(dst_end - out);
    switch (block.type) {
      case BlockType::kRaw:
        if (block.size > room) return Err(Error::kOutputTooSmall);
        __builtin_memcpy(out, src + p, block.size);
        out += block.size;
        break;
      case BlockType::kRle:
        if (block.size > room) return Err(Error::kOutputTooSmall);
        __builtin_memset(out, src[p], block.size);
        out += block.size;
        break;
      case BlockType::kCompressed: {
        const bool buffer_limits = room <= max_block;
        const BlockOutput output{frame_start, out, out + (buffer_limits ? room : max_block),
                                 dst_end,
                                 buffer_limits ? Error::kOutputTooSmall : Error::kBadBlock};
        out = TRY(DecodeCompressedBlock(src + p, block.size, max_block, output, ws));
        break;
      }
      case BlockType::kReserved:
        break;
    }
    p += BlockInputSize(block);
    if (block.last) break;
  }
  const size_t produced = size_t(out - frame_start);
  if (header.has_content_size && produced != header.content_size) {
    return Err(Error::kContentSizeMismatch);
  }
  if (header.has_checksum) {
    if (size - p < kChecksumSize) return Err(Error::kTruncated);
    const uint32_t expected = Load32(src + p);
    if (uint32_t(Xxh64(frame_start, produced, 0)) != expected) {
      return Err(Error::kChecksumMismatch);
    }
    p += kChecksumSize;
  }
  *position = p;
  *op = out;
  return Ok<Error>();
}

}  // namespace

Result<size_t, Error> Decompress(const uint8_t* src, size_t src_size, uint8_t* dst,
                                 size_t dst_capacity, Workspace& workspace) {
  if (src_size == 0) return Err(Error::kTruncated);
  uint8_t* op = dst;
  uint8_t* const dst_end = dst + dst_capacity;
  size_t position = 0;
  while (position < src_size) {
    const FrameHeader header = TRY(ParseFrameHeader(src + position, src_size - position));
    if (header.skippable) {
      position += TRY(FrameSize(src + position, src_size - position));
      continue;
    }
    TRY(DecodeFrame(header, src, src_size, &position, &op, dst_end, workspace));
  }
  return size_t(op - dst);
}

}  // namespace hiillos::zstd
