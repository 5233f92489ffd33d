// lib/zstd/zstd_fuzzer.cc — libFuzzer target: ContentSize and Decompress on arbitrary bytes never
// crash or touch memory outside their buffers (ASan), and whenever both this decoder and
// libzstd accept an input they produce the same bytes. The input, taken as plain data and
// compressed by libzstd at a level it picks, must also decode back to itself.
#include <stddef.h>
#include <stdint.h>

#include <memory>
#include <vector>

#include "lib/zstd/decompress.h"
#include "lib/zstd/reference_codec.h"

namespace {

constexpr size_t kMaxCapacity = 4 << 20;
constexpr size_t kDefaultCapacity = 256 << 10;

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

// Round trip: libzstd compresses data[1, size) at a level chosen by data[0] (-3..18, checksum
// on or off); this decoder must give the bytes back exactly.
void FuzzRoundTrip(const uint8_t* data, size_t size, hiillos::zstd::Workspace& workspace) {
  using namespace hiillos::zstd;
  if (size == 0) return;
  testing::CompressOptions options;
  options.level = int(data[0] % 22) - 3;
  options.checksum = (data[0] & 0x80) != 0;
  const std::vector<uint8_t> plain(data + 1, data + size);
  const std::vector<uint8_t> compressed = testing::ReferenceCompress(plain, options);
  std::vector<uint8_t> out(plain.size());
  auto decoded =
      Decompress(compressed.data(), compressed.size(), out.data(), out.size(), workspace);
  Check(decoded.ok() && decoded.value() == plain.size() && out == plain);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hiillos::zstd;
  static Workspace* workspace = new Workspace;
  FuzzRoundTrip(data, size, *workspace);
  auto content_size = ContentSize(data, size);
  size_t capacity = kDefaultCapacity;
  if (content_size.ok() && content_size.value() <= kMaxCapacity) {
    capacity = size_t(content_size.value());
  }
  // Exactly `capacity` bytes on the heap, so any write past the end is an ASan report.
  std::vector<uint8_t> out(capacity);
  auto decoded = Decompress(data, size, out.data(), out.size(), *workspace);
  if (!decoded.ok()) {
    Check(ErrorName(decoded.error()) != nullptr);
    return 0;
  }
  Check(decoded.value() <= capacity);
  if (content_size.ok()) Check(decoded.value() == content_size.value());
  auto reference = hiillos::zstd::testing::ReferenceDecompress(data, size, capacity);
  if (reference) {
    Check(reference->size() == decoded.value());
    Check(__builtin_memcmp(reference->data(), out.data(), decoded.value()) == 0);
  }
  return 0;
}
