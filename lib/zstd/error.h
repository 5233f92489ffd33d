// lib/zstd/error.h — the closed set of errors the zstd decoder returns, and their names.
#pragma once

#include <stdint.h>

namespace hiillos::zstd {

enum class Error : uint8_t {
  kTruncated,              // the input ends inside a frame, block or section
  kBadMagic,               // not a zstd frame or skippable frame
  kReservedBit,            // a reserved header bit or field value is set
  kDictionaryUnsupported,  // the frame names a dictionary (only dictionary-less frames decode)
  kWindowTooLarge,         // the window size exceeds kMaxWindowSize
  kOutputTooSmall,         // the caller's output buffer cannot hold the decoded data
  kBadBlock,               // reserved block type, or a block larger than the format allows
  kBadLiterals,            // malformed literals section header or sizes
  kBadHuffmanTable,        // malformed Huffman tree description
  kBadHuffmanStream,       // a Huffman-coded literals stream does not decode exactly
  kBadFseTable,            // malformed FSE table description (or an out-of-range RLE symbol)
  kBadSequencesHeader,     // malformed sequences section header
  kBadSequenceStream,      // the sequences bitstream does not decode exactly
  kMissingTable,           // a treeless/repeat mode with no previous table in this frame
  kBadOffset,              // a match reaches before the start of the frame's output, or is 0
  kBadLiteralLength,       // sequences use more literals than the section decoded
  kContentSizeMismatch,    // decoded size differs from the frame header's content size
  kChecksumMismatch,       // the content checksum (XXH64) does not match
  kUnknownContentSize,     // ContentSize(): a frame does not record its content size
};

// A short human-readable description, e.g. for a boot log line. Never null.
const char* ErrorName(Error error);

}  // namespace hiillos::zstd
