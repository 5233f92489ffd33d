// tools/initfs/zstd_compress.cc — deterministic zstd compression of the initfs archive.
#include "tools/initfs/zstd_compress.h"

#include <zstd.h>

#include <memory>
#include <string>
#include <utility>

namespace hiillos::initfs {
namespace {

struct CctxDeleter {
  void operator()(ZSTD_CCtx* cctx) const { ZSTD_freeCCtx(cctx); }
};

Failure ZstdFailure(const char* what, size_t code) {
  return Failure{std::string("zstd: ") + what + ": " + ZSTD_getErrorName(code)};
}

}  // namespace

bool IsValidZstdLevel(int level) {
  return level >= 1 && level <= ZSTD_maxCLevel();
}

Expected<std::vector<uint8_t>> CompressZstd(const std::vector<uint8_t>& data, int level) {
  if (!IsValidZstdLevel(level)) {
    return Failure{"compression level " + std::to_string(level) + " is outside 1.." +
                   std::to_string(ZSTD_maxCLevel())};
  }
  std::unique_ptr<ZSTD_CCtx, CctxDeleter> cctx(ZSTD_createCCtx());
  if (cctx == nullptr) return Failure{"zstd: cannot allocate a compression context"};
  const std::pair<ZSTD_cParameter, int> params[] = {
      {ZSTD_c_compressionLevel, level},
      {ZSTD_c_checksumFlag, 1},     // XXH64 of the content at the end of the frame
      {ZSTD_c_contentSizeFlag, 1},  // decompressed size in the frame header
      {ZSTD_c_nbWorkers, 0},        // single-threaded: output independent of the machine
  };
  for (const auto& [param, value] : params) {
    const size_t code = ZSTD_CCtx_setParameter(cctx.get(), param, value);
    if (ZSTD_isError(code)) return ZstdFailure("setting a parameter", code);
  }
  std::vector<uint8_t> out(ZSTD_compressBound(data.size()));
  // ZSTD_compress2 knows the whole input up front, so the frame records its size.
  const size_t written =
      ZSTD_compress2(cctx.get(), out.data(), out.size(), data.data(), data.size());
  if (ZSTD_isError(written)) return ZstdFailure("compressing", written);
  out.resize(written);
  return out;
}

}  // namespace hiillos::initfs
