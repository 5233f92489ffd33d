// lib/zstd/frame_features.h — counts which format features a zstd input uses (block types,
// literals types and stream counts, sequence table modes), so tests can show that their inputs
// exercise every one. Host test helper; expects well-formed input.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::zstd::testing {

struct FrameFeatures {
  size_t frames = 0;
  size_t skippable_frames = 0;
  size_t single_segment_frames = 0;
  size_t window_descriptor_frames = 0;
  size_t checksummed_frames = 0;
  size_t blocks[3] = {};    // raw, RLE, compressed
  size_t literals[4] = {};  // raw, RLE, compressed, treeless
  size_t four_stream_literals = 0;
  size_t one_stream_literals = 0;
  size_t table_modes[3][4] = {};  // [literal lengths, offsets, match lengths][mode]
  size_t blocks_without_sequences = 0;

  FrameFeatures& operator+=(const FrameFeatures& other);
};

FrameFeatures InspectFrames(const uint8_t* data, size_t size);

}  // namespace hiillos::zstd::testing
