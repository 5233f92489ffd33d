// lib/zstd/frame_features.cc — walks frames and block headers to count format features.
#include "lib/zstd/frame_features.h"

#include "lib/zstd/frame_header.h"
#include "lib/zstd/literals.h"

namespace hiillos::zstd::testing {
namespace {

// Bytes used by the literals section at block[0] (header + payload).
size_t LiteralsSectionSize(const uint8_t* block, size_t size, FrameFeatures& features) {
  auto header = ReadLiteralsHeader(block, size);
  if (!header.ok()) return size;
  const LiteralsHeader& h = header.value();
  ++features.literals[unsigned(h.type)];
  switch (h.type) {
    case LiteralsType::kRaw:
      return h.header_size + h.regenerated;
    case LiteralsType::kRle:
      return h.header_size + 1;
    case LiteralsType::kCompressed:
    case LiteralsType::kTreeless:
      break;
  }
  (h.four_streams ? features.four_stream_literals : features.one_stream_literals)++;
  return h.header_size + h.compressed;
}

void InspectCompressedBlock(const uint8_t* block, size_t size, FrameFeatures& features) {
  const uint8_t* sequences = block + LiteralsSectionSize(block, size, features);
  const unsigned first = sequences[0];
  if (first == 0) {
    ++features.blocks_without_sequences;
    return;
  }
  const size_t header = first < 128 ? 1 : first < 255 ? 2 : 3;
  const unsigned modes = sequences[header];
  ++features.table_modes[0][modes >> 6];
  ++features.table_modes[1][(modes >> 4) & 3];
  ++features.table_modes[2][(modes >> 2) & 3];
}

}  // namespace

FrameFeatures& FrameFeatures::operator+=(const FrameFeatures& other) {
  const size_t* from = reinterpret_cast<const size_t*>(&other);
  size_t* to = reinterpret_cast<size_t*>(this);
  for (size_t i = 0; i < sizeof(FrameFeatures) / sizeof(size_t); ++i) to[i] += from[i];
  return *this;
}

FrameFeatures InspectFrames(const uint8_t* data, size_t size) {
  FrameFeatures features;
  size_t position = 0;
  while (position < size) {
    auto header = ParseFrameHeader(data + position, size - position);
    auto frame_size = FrameSize(data + position, size - position);
    if (!header.ok() || !frame_size.ok()) break;
    if (header.value().skippable) {
      ++features.skippable_frames;
      position += frame_size.value();
      continue;
    }
    ++features.frames;
    const bool single_segment = (data[position + 4] >> 5) & 1;
    ++(single_segment ? features.single_segment_frames : features.window_descriptor_frames);
    if (header.value().has_checksum) ++features.checksummed_frames;
    size_t p = position + header.value().header_size;
    for (;;) {
      const BlockHeader block = DecodeBlockHeader(data + p);
      p += kBlockHeaderSize;
      ++features.blocks[unsigned(block.type)];
      if (block.type == BlockType::kCompressed) {
        InspectCompressedBlock(data + p, block.size, features);
      }
      p += BlockInputSize(block);
      if (block.last) break;
    }
    position += frame_size.value();
  }
  return features;
}

}  // namespace hiillos::zstd::testing
