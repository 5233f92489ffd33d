// lib/zstd/reference_codec.cc — thin wrappers over libzstd's C API (see reference_codec.h).
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_c_literalCompressionMode
#include "lib/zstd/reference_codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <zstd.h>

#include <algorithm>

extern "C" unsigned long long ZSTD_XXH64(const void* input, size_t length, unsigned long long seed);

namespace hiillos::zstd::testing {
namespace {

void Check(size_t code, const char* what) {
  if (ZSTD_isError(code)) {
    fprintf(stderr, "libzstd %s: %s\n", what, ZSTD_getErrorName(code));
    abort();
  }
}

}  // namespace

std::vector<uint8_t> ReferenceCompress(const std::vector<uint8_t>& data,
                                       const CompressOptions& options) {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  Check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, options.level), "level");
  Check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, options.checksum), "checksum");
  Check(ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, options.content_size), "size");
  if (options.raw_literals) {
    Check(ZSTD_CCtx_setParameter(context, ZSTD_c_literalCompressionMode, ZSTD_ps_disable),
          "literals");
  }
  if (options.window_log != 0) {
    Check(ZSTD_CCtx_setParameter(context, ZSTD_c_windowLog, options.window_log), "window");
  }
  std::vector<uint8_t> out(ZSTD_compressBound(data.size()) + 64);
  size_t written = 0;
  if (!options.streaming) {
    written = ZSTD_compress2(context, out.data(), out.size(), data.data(), data.size());
    Check(written, "compress");
  } else {
    ZSTD_outBuffer output{out.data(), out.size(), 0};
    size_t position = 0;
    for (;;) {
      const size_t piece = std::min<size_t>(data.size() - position, 50000);
      ZSTD_inBuffer input{data.data() + position, piece, 0};
      const bool last = position + piece == data.size();
      size_t remaining;
      do {
        remaining =
            ZSTD_compressStream2(context, &output, &input, last ? ZSTD_e_end : ZSTD_e_continue);
        Check(remaining, "stream");
      } while (input.pos < input.size || (last && remaining != 0));
      position += piece;
      if (last) break;
    }
    written = output.pos;
  }
  ZSTD_freeCCtx(context);
  out.resize(written);
  return out;
}

std::optional<size_t> ReferenceDecompressInto(const uint8_t* data, size_t size, uint8_t* out,
                                              size_t capacity) {
  static ZSTD_DCtx* context = ZSTD_createDCtx();
  const size_t result = ZSTD_decompressDCtx(context, out, capacity, data, size);
  if (ZSTD_isError(result)) return std::nullopt;
  return result;
}

std::optional<std::vector<uint8_t>> ReferenceDecompress(const uint8_t* data, size_t size,
                                                        size_t capacity) {
  std::vector<uint8_t> out(capacity);
  const auto written = ReferenceDecompressInto(data, size, out.data(), out.size());
  if (!written) return std::nullopt;
  out.resize(*written);
  return out;
}

std::vector<uint8_t> SkippableFrame(const std::vector<uint8_t>& payload, unsigned variant) {
  std::vector<uint8_t> frame(8);
  const uint32_t magic = 0x184D2A50u + (variant & 15);
  const uint32_t size = uint32_t(payload.size());
  for (int i = 0; i < 4; ++i) {
    frame[i] = uint8_t(magic >> (8 * i));
    frame[4 + i] = uint8_t(size >> (8 * i));
  }
  frame.insert(frame.end(), payload.begin(), payload.end());
  return frame;
}

uint64_t ReferenceXxh64(const uint8_t* data, size_t size, uint64_t seed) {
  return ZSTD_XXH64(data, size, seed);
}

}  // namespace hiillos::zstd::testing
