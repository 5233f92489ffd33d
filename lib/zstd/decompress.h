// lib/zstd/decompress.h — the zstd decoder's API: decode whole inputs (any number of zstd and
// skippable frames) into a caller-provided buffer, with a caller-provided workspace (no heap).
//
//   static zstd::Workspace workspace;          // ~150 KiB; reusable, one decode at a time
//   uint64_t size = TRY(zstd::ContentSize(src, src_size));   // when the frames record it
//   size_t written = TRY(zstd::Decompress(src, src_size, dst, dst_capacity, workspace));
//
// Dictionary-less frames only. Corrupt or truncated input returns an error; the decoder never
// reads outside [src, src + src_size) or writes outside [dst, dst + dst_capacity); the two must
// not overlap. On error the contents of dst are unspecified.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/zstd/error.h"
#include "lib/zstd/frame_header.h"
#include "lib/zstd/literals.h"
#include "lib/zstd/sequence_table.h"

namespace hiillos::zstd {

// Scratch state for one decode: the block's literals and the entropy tables that later blocks
// of a frame may reuse. Its contents are meaningless between calls.
struct Workspace {
  uint8_t literals[kMaxBlockSize + kLiteralsSlack];
  LiteralsState literals_state;
  SequenceTables sequence_tables;
  uint32_t repeat_offsets[3];
};

// Decodes every frame in src[0, src_size) into dst; returns the number of bytes written.
// Skippable frames are skipped; an input with no frame at all is kTruncated. Errors: every
// zstd::Error except kUnknownContentSize.
Result<size_t, Error> Decompress(const uint8_t* src, size_t src_size, uint8_t* dst,
                                 size_t dst_capacity, Workspace& workspace);

}  // namespace hiillos::zstd
