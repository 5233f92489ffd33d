// lib/zstd/frame_header.cc — frame and block headers; frame boundaries and content sizes.
#include "lib/zstd/frame_header.h"

#include "lib/base/checked.h"
#include "lib/zstd/bytes.h"

namespace hiillos::zstd {

Result<FrameHeader, Error> ParseFrameHeader(const uint8_t* src, size_t size) {
  if (size < 4) return Err(Error::kTruncated);
  const uint32_t magic = Load32(src);
  FrameHeader header{};
  if ((magic & 0xFFFFFFF0u) == kSkippableMagicFirst) {
    if (size < 8) return Err(Error::kTruncated);
    header.skippable = true;
    header.header_size = 8;
    header.skippable_size = Load32(src + 4);
    return header;
  }
  if (magic != kFrameMagic) return Err(Error::kBadMagic);
  if (size < 5) return Err(Error::kTruncated);
  const unsigned descriptor = src[4];
  const unsigned content_size_flag = descriptor >> 6;
  const bool single_segment = (descriptor >> 5) & 1;
  if ((descriptor >> 3) & 1) return Err(Error::kReservedBit);
  header.has_checksum = (descriptor >> 2) & 1;
  const unsigned dictionary_flag = descriptor & 3;
  constexpr size_t kDictionaryIdSizes[4] = {0, 1, 2, 4};
  constexpr size_t kContentSizeSizes[4] = {0, 2, 4, 8};
  const size_t dictionary_size = kDictionaryIdSizes[dictionary_flag];
  size_t content_field_size = kContentSizeSizes[content_size_flag];
  if (content_size_flag == 0 && single_segment) content_field_size = 1;
  const size_t window_field_size = single_segment ? 0 : 1;
  header.header_size = 5 + window_field_size + dictionary_size + content_field_size;
  if (size < header.header_size) return Err(Error::kTruncated);

  const uint8_t* p = src + 5;
  if (!single_segment) {
    const unsigned exponent = p[0] >> 3;
    const unsigned mantissa = p[0] & 7;
    const uint64_t base = uint64_t{1} << (10 + exponent);
    header.window_size = base + (base / 8) * mantissa;
    if (header.window_size > kMaxWindowSize) return Err(Error::kWindowTooLarge);
    ++p;
  }
  for (size_t i = 0; i < dictionary_size; ++i) header.dictionary_id |= uint32_t{p[i]} << (8 * i);
  p += dictionary_size;
  if (content_field_size > 0) {
    uint64_t value = 0;
    for (size_t i = 0; i < content_field_size; ++i) value |= uint64_t{p[i]} << (8 * i);
    if (content_field_size == 2) value += 256;
    header.content_size = value;
    header.has_content_size = true;
  }
  if (single_segment) header.window_size = header.content_size;
  return header;
}

BlockHeader DecodeBlockHeader(const uint8_t* src) {
  const uint32_t bits = Load24(src);
  return BlockHeader{(bits & 1) != 0, BlockType((bits >> 1) & 3), bits >> 3};
}

Result<size_t, Error> FrameSize(const uint8_t* src, size_t size) {
  const FrameHeader header = TRY(ParseFrameHeader(src, size));
  if (header.skippable) {
    if (!RangeInside(header.header_size, header.skippable_size, size)) {
      return Err(Error::kTruncated);
    }
    return size_t(header.header_size + header.skippable_size);
  }
  size_t position = header.header_size;
  for (;;) {
    if (size - position < kBlockHeaderSize) return Err(Error::kTruncated);
    const BlockHeader block = DecodeBlockHeader(src + position);
    if (block.type == BlockType::kReserved) return Err(Error::kBadBlock);
    position += kBlockHeaderSize;
    if (size - position < BlockInputSize(block)) return Err(Error::kTruncated);
    position += BlockInputSize(block);
    if (block.last) break;
  }
  if (header.has_checksum) {
    if (size - position < kChecksumSize) return Err(Error::kTruncated);
    position += kChecksumSize;
  }
  return position;
}

Result<uint64_t, Error> ContentSize(const uint8_t* src, size_t size) {
  uint64_t total = 0;
  size_t position = 0;
  if (size == 0) return Err(Error::kTruncated);
  while (position < size) {
    const FrameHeader header = TRY(ParseFrameHeader(src + position, size - position));
    if (!header.skippable) {
      if (!header.has_content_size) return Err(Error::kUnknownContentSize);
      if (!CheckedAdd(total, header.content_size, &total)) return Err(Error::kOutputTooSmall);
    }
    position += TRY(FrameSize(src + position, size - position));
  }
  return total;
}

}  // namespace hiillos::zstd
