// lib/zstd/error_name.cc — human-readable names of zstd::Error values.
#include "lib/zstd/error.h"

namespace hiillos::zstd {

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kTruncated:
      return "truncated zstd data";
    case Error::kBadMagic:
      return "not a zstd frame";
    case Error::kReservedBit:
      return "reserved bit or value set in a header";
    case Error::kDictionaryUnsupported:
      return "frame needs a dictionary (unsupported)";
    case Error::kWindowTooLarge:
      return "window size above the decoder's limit";
    case Error::kOutputTooSmall:
      return "output buffer too small";
    case Error::kBadBlock:
      return "reserved block type or oversized block";
    case Error::kBadLiterals:
      return "malformed literals section";
    case Error::kBadHuffmanTable:
      return "malformed Huffman table";
    case Error::kBadHuffmanStream:
      return "corrupt Huffman-coded literals";
    case Error::kBadFseTable:
      return "malformed FSE table";
    case Error::kBadSequencesHeader:
      return "malformed sequences section header";
    case Error::kBadSequenceStream:
      return "corrupt sequences bitstream";
    case Error::kMissingTable:
      return "repeat mode without a previous table";
    case Error::kBadOffset:
      return "match offset out of range";
    case Error::kBadLiteralLength:
      return "sequence literals exceed the literals section";
    case Error::kContentSizeMismatch:
      return "decoded size differs from the frame content size";
    case Error::kChecksumMismatch:
      return "content checksum mismatch";
    case Error::kUnknownContentSize:
      return "frame header does not record its content size";
  }
  return "unknown zstd error";
}

}  // namespace hiillos::zstd
