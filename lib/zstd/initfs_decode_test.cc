// lib/zstd/initfs_decode_test.cc — the real initfs archive built by //initfs decodes with this
// decoder (no heap: a Workspace and an output buffer sized from the frame header), agrees with
// libzstd, and is a valid ustar archive holding etc/init.conf.
#include <gtest/gtest.h>
#include <stdio.h>

#include <memory>
#include <vector>

#include "lib/ustar/archive.h"
#include "lib/zstd/decompress.h"
#include "lib/zstd/reference_codec.h"

namespace hiillos::zstd {
namespace {

std::vector<uint8_t> ReadFile(const char* path) {
  std::vector<uint8_t> data;
  FILE* file = fopen(path, "rb");
  if (file == nullptr) return data;
  int c;
  while ((c = fgetc(file)) != EOF) data.push_back(uint8_t(c));
  fclose(file);
  return data;
}

TEST(InitfsArchive, DecodesLikeLibzstdAndOpensAsUstar) {
  const char* path = getenv("ZSTD_TEST_INITFS");
  ASSERT_NE(path, nullptr) << "ZSTD_TEST_INITFS not set (run under bazel test)";
  const std::vector<uint8_t> compressed = ReadFile(path);
  ASSERT_FALSE(compressed.empty()) << path;
  auto size = ContentSize(compressed.data(), compressed.size());
  ASSERT_TRUE(size.ok()) << ErrorName(size.error());
  std::vector<uint8_t> tar(size.value());
  auto workspace = std::make_unique<Workspace>();
  auto written =
      Decompress(compressed.data(), compressed.size(), tar.data(), tar.size(), *workspace);
  ASSERT_TRUE(written.ok()) << ErrorName(written.error());
  ASSERT_EQ(written.value(), tar.size());
  auto reference = testing::ReferenceDecompress(compressed.data(), compressed.size(), tar.size());
  ASSERT_TRUE(reference.has_value());
  EXPECT_TRUE(*reference == tar);
  auto archive = ustar::Archive::Open(tar.data(), tar.size());
  ASSERT_TRUE(archive.ok()) << ustar::ErrorName(archive.error());
  EXPECT_TRUE(archive.value().Lookup("etc/init.conf").ok());
}

}  // namespace
}  // namespace hiillos::zstd
