// lib/zstd/zstd_bench.cc — decoding throughput of this decoder and libzstd's on the same input,
// in one run: a generated tar-like archive compressed like the initfs (level 19), or a .zst
// file given with --input.
//
//   bazel run //lib/zstd:zstd_bench [-- --size-mib=8 --level=19 --iterations=10]
//   bazel run //lib/zstd:zstd_bench -- --input=$PWD/bazel-bin/initfs/initfs.tar.zst
//   --write=PATH saves the compressed input (e.g. for --input under callgrind)
//   --only=hiillos|libzstd decodes once with one decoder (for callgrind; see docs/performance.md)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <memory>
#include <string>
#include <vector>

#include "lib/zstd/decompress.h"
#include "lib/zstd/reference_codec.h"
#include "lib/zstd/test_data.h"

namespace {

using namespace hiillos::zstd;

struct Options {
  size_t size_mib = 8;
  int level = 19;
  int iterations = 10;
  std::string input;
  std::string only;
  std::string write;
};

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* prefix) -> const char* {
      return arg.rfind(prefix, 0) == 0 ? arg.c_str() + strlen(prefix) : nullptr;
    };
    if (const char* v = value("--size-mib=")) {
      options.size_mib = strtoul(v, nullptr, 10);
    } else if (const char* v = value("--level=")) {
      options.level = atoi(v);
    } else if (const char* v = value("--iterations=")) {
      options.iterations = atoi(v);
    } else if (const char* v = value("--input=")) {
      options.input = v;
    } else if (const char* v = value("--write=")) {
      options.write = v;
    } else if (const char* v = value("--only=")) {
      options.only = v;
    } else {
      fprintf(stderr, "unknown argument %s (see the comment at the top of zstd_bench.cc)\n",
              arg.c_str());
      exit(2);
    }
  }
  return options;
}

std::vector<uint8_t> ReadFile(const std::string& path) {
  FILE* file = fopen(path.c_str(), "rb");
  if (file == nullptr) {
    perror(path.c_str());
    exit(1);
  }
  std::vector<uint8_t> data;
  uint8_t buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), file)) > 0)
    data.insert(data.end(), buffer, buffer + n);
  fclose(file);
  return data;
}

double Now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Our decoder; a separate function so callgrind can count it alone.
__attribute__((noinline)) size_t DecodeHiillos(const std::vector<uint8_t>& input,
                                               std::vector<uint8_t>& out, Workspace& workspace) {
  auto result = Decompress(input.data(), input.size(), out.data(), out.size(), workspace);
  if (!result.ok()) {
    fprintf(stderr, "hiillos decoder: %s\n", ErrorName(result.error()));
    exit(1);
  }
  return result.value();
}

__attribute__((noinline)) size_t DecodeLibzstd(const std::vector<uint8_t>& input,
                                               std::vector<uint8_t>& out) {
  auto written =
      testing::ReferenceDecompressInto(input.data(), input.size(), out.data(), out.size());
  if (!written) {
    fprintf(stderr, "libzstd failed\n");
    exit(1);
  }
  return *written;
}

// Best-of-N seconds for one decode with each decoder. The two alternate, so that load from
// other processes on the machine hits both alike.
template <typename DecodeA, typename DecodeB>
void BestTimes(int iterations, DecodeA a, DecodeB b, double* best_a, double* best_b) {
  *best_a = *best_b = 1e30;
  for (int i = 0; i < iterations; ++i) {
    double start = Now();
    a();
    const double middle = Now();
    b();
    const double end = Now();
    if (middle - start < *best_a) *best_a = middle - start;
    if (end - middle < *best_b) *best_b = end - middle;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = ParseOptions(argc, argv);
  std::vector<uint8_t> compressed;
  std::vector<uint8_t> original;
  if (!options.input.empty()) {
    compressed = ReadFile(options.input);
    printf("input: %s\n", options.input.c_str());
  } else {
    original = testing::MakeTarLike(options.size_mib << 20, 1);
    testing::CompressOptions compress;
    compress.level = options.level;
    compressed = testing::ReferenceCompress(original, compress);
    printf("input: generated tar-like archive, %zu MiB, level %d\n", options.size_mib,
           options.level);
  }
  if (!options.write.empty()) {
    FILE* file = fopen(options.write.c_str(), "wb");
    if (file == nullptr ||
        fwrite(compressed.data(), 1, compressed.size(), file) != compressed.size()) {
      perror(options.write.c_str());
      return 1;
    }
    fclose(file);
  }
  auto content_size = ContentSize(compressed.data(), compressed.size());
  const size_t capacity = content_size.ok() ? size_t(content_size.value()) : (256u << 20);
  auto workspace = std::make_unique<Workspace>();
  std::vector<uint8_t> ours(capacity);
  std::vector<uint8_t> theirs(capacity);

  if (options.only == "hiillos") {
    printf("decoded %zu bytes (hiillos)\n", DecodeHiillos(compressed, ours, *workspace));
    return 0;
  }
  if (options.only == "libzstd") {
    printf("decoded %zu bytes (libzstd)\n", DecodeLibzstd(compressed, theirs));
    return 0;
  }

  const size_t size = DecodeHiillos(compressed, ours, *workspace);
  const size_t reference_size = DecodeLibzstd(compressed, theirs);
  if (size != reference_size || memcmp(ours.data(), theirs.data(), size) != 0 ||
      (!original.empty() &&
       (size != original.size() || memcmp(ours.data(), original.data(), size) != 0))) {
    fprintf(stderr, "outputs differ\n");
    return 1;
  }
  printf("%zu bytes -> %zu bytes (ratio %.2f), best of %d runs each\n", compressed.size(), size,
         double(size) / double(compressed.size()), options.iterations);
  double ours_time = 0;
  double theirs_time = 0;
  BestTimes(
      options.iterations, [&] { DecodeHiillos(compressed, ours, *workspace); },
      [&] { DecodeLibzstd(compressed, theirs); }, &ours_time, &theirs_time);
  const double mib = double(size) / double(1 << 20);
  printf("hiillos::zstd  %8.1f MiB/s\n", mib / ours_time);
  printf("libzstd        %8.1f MiB/s\n", mib / theirs_time);
  printf("speed ratio (hiillos / libzstd): %.2f\n", theirs_time / ours_time);
  return 0;
}
