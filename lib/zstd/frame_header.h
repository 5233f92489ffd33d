// lib/zstd/frame_header.h — zstd and skippable frame headers (RFC 8878 §3.1.1.1, §3.1.2),
// block headers (§3.1.1.2), and the content size of a whole input.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/zstd/error.h"

namespace hiillos::zstd {

inline constexpr uint32_t kFrameMagic = 0xFD2FB528;
inline constexpr uint32_t kSkippableMagicFirst = 0x184D2A50;  // ...0x184D2A5F
inline constexpr size_t kMaxBlockSize = 128 * 1024;
// Largest window a frame may declare (Window_Descriptor): 128 MiB, libzstd's default limit.
// The decoder needs no window buffer (it decodes into the caller's output), so this only
// bounds what it accepts.
inline constexpr uint64_t kMaxWindowSize = uint64_t{1} << 27;
inline constexpr size_t kBlockHeaderSize = 3;
inline constexpr size_t kChecksumSize = 4;

struct FrameHeader {
  bool skippable;
  size_t header_size;       // bytes before the first block (or the skippable frame's data)
  uint64_t skippable_size;  // skippable frames: bytes of user data after the header
  uint64_t window_size;
  uint64_t content_size;
  bool has_content_size;
  bool has_checksum;
  uint32_t dictionary_id;
};

// Parses the frame header at src[0, size). Errors: kTruncated, kBadMagic, kReservedBit,
// kWindowTooLarge.
Result<FrameHeader, Error> ParseFrameHeader(const uint8_t* src, size_t size);

enum class BlockType : uint8_t { kRaw = 0, kRle = 1, kCompressed = 2, kReserved = 3 };

struct BlockHeader {
  bool last;
  BlockType type;
  uint32_t size;  // Block_Size: input bytes (raw, compressed) or output bytes (RLE)
};
BlockHeader DecodeBlockHeader(const uint8_t* src);  // reads 3 bytes

// Bytes the block's content takes in the input (1 for RLE).
inline size_t BlockInputSize(const BlockHeader& block) {
  return block.type == BlockType::kRle ? 1 : block.size;
}

// Size of the whole frame (header, blocks, checksum) at src[0, size), found by walking its
// block headers. Errors: as ParseFrameHeader, kBadBlock, kTruncated.
Result<size_t, Error> FrameSize(const uint8_t* src, size_t size);

// Total decompressed size of every frame in src[0, size), from their headers. Errors: as
// FrameSize, kUnknownContentSize when a frame does not record its size.
Result<uint64_t, Error> ContentSize(const uint8_t* src, size_t size);

}  // namespace hiillos::zstd
