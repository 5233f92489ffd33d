// lib/zstd/sequence_execute.h — decodes the sequences bitstream and executes each sequence
// (literals copy + match copy) into the output (RFC 8878 §3.1.1.3.2.3 and §3.1.1.4-5).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/zstd/error.h"
#include "lib/zstd/sequence_table.h"

namespace hiillos::zstd {

// Where a block's output goes. Matches may reach back to frame_start; the block may write up
// to block_limit; bytes up to buffer_end may be scribbled on by 16-byte copies (they are
// overwritten later or lie past the decoded data).
struct BlockOutput {
  uint8_t* frame_start;
  uint8_t* position;
  uint8_t* block_limit;
  uint8_t* buffer_end;
  Error overflow_error;  // kOutputTooSmall or kBadBlock, whichever limit block_limit is
};

// Literals of the block, with kLiteralsSlack readable bytes after them.
struct LiteralsView {
  const uint8_t* data;
  size_t count;
};

// Decodes `count` sequences from stream[0, size), copies literals and matches to `out`, then
// the remaining literals. `repeat_offsets` carries the three repeat offsets between blocks.
// Returns the new output position. Errors: kBadSequenceStream, kBadLiteralLength, kBadOffset,
// out.overflow_error.
Result<uint8_t*, Error> ExecuteSequences(const uint8_t* stream, size_t size, uint32_t count,
                                         const SequenceTables& tables, LiteralsView literals,
                                         const BlockOutput& out, uint32_t repeat_offsets[3]);

}  // namespace hiillos::zstd
