// lib/zstd/zstd_fuzzer.cc — libFuzzer target: ContentSize and Decompress on arbitrary bytes never
// crash or touch memory outside their buffers (ASan), and whenever both this decoder and
// libzstd accept an input they produce the same bytes.
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hiillos::zstd;
  static Workspace* workspace = new Workspace;
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
