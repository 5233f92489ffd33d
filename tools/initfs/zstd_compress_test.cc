// tools/initfs/zstd_compress_test.cc — tests for the initfs zstd framing: round trip, recorded
// content size, checksum, determinism.
#include "tools/initfs/zstd_compress.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <string>
#include <vector>

namespace hiillos::initfs {
namespace {

std::vector<uint8_t> SampleData() {
  std::vector<uint8_t> data;
  for (int i = 0; i < 100000; ++i) data.push_back(static_cast<uint8_t>((i * 7) ^ (i >> 5)));
  return data;
}

TEST(CompressZstd, RoundTripsAndRecordsSizeAndChecksum) {
  const std::vector<uint8_t> data = SampleData();
  auto compressed = CompressZstd(data, kDefaultZstdLevel);
  ASSERT_TRUE(compressed.ok()) << compressed.failure().message;
  const std::vector<uint8_t>& frame = compressed.value();
  EXPECT_LT(frame.size(), data.size());

  EXPECT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), data.size());
  // RFC 8878 3.1.1: magic 0xFD2FB528, then the frame header descriptor, whose bit 2 is the
  // content checksum flag.
  ASSERT_GE(frame.size(), 5u);
  EXPECT_EQ(std::vector<uint8_t>(frame.begin(), frame.begin() + 4),
            (std::vector<uint8_t>{0x28, 0xb5, 0x2f, 0xfd}));
  EXPECT_NE(frame[4] & 0x04, 0);
  EXPECT_EQ(ZSTD_findFrameCompressedSize(frame.data(), frame.size()), frame.size());  // one frame

  std::vector<uint8_t> back(data.size());
  const size_t n = ZSTD_decompress(back.data(), back.size(), frame.data(), frame.size());
  ASSERT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
  ASSERT_EQ(n, data.size());
  EXPECT_EQ(back, data);
}

TEST(CompressZstd, ChecksumCatchesCorruption) {
  const std::vector<uint8_t> data(5000, 'a');
  auto compressed = CompressZstd(data, 3);
  ASSERT_TRUE(compressed.ok());
  std::vector<uint8_t> frame = compressed.value();
  frame.back() ^= 0x01;  // the last 4 bytes are the checksum
  std::vector<uint8_t> back(data.size());
  const size_t n = ZSTD_decompress(back.data(), back.size(), frame.data(), frame.size());
  EXPECT_TRUE(ZSTD_isError(n));
}

TEST(CompressZstd, IsDeterministic) {
  const std::vector<uint8_t> data = SampleData();
  auto first = CompressZstd(data, kDefaultZstdLevel);
  auto second = CompressZstd(data, kDefaultZstdLevel);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first.value(), second.value());
  auto other_level = CompressZstd(data, 1);
  ASSERT_TRUE(other_level.ok());
  EXPECT_NE(first.value(), other_level.value());
}

TEST(CompressZstd, EmptyInput) {
  auto compressed = CompressZstd({}, kDefaultZstdLevel);
  ASSERT_TRUE(compressed.ok());
  EXPECT_EQ(ZSTD_getFrameContentSize(compressed.value().data(), compressed.value().size()), 0u);
}

TEST(CompressZstd, RejectsLevelsOutOfRange) {
  EXPECT_FALSE(IsValidZstdLevel(0));
  EXPECT_FALSE(IsValidZstdLevel(-5));
  EXPECT_FALSE(IsValidZstdLevel(ZSTD_maxCLevel() + 1));
  EXPECT_TRUE(IsValidZstdLevel(1));
  EXPECT_TRUE(IsValidZstdLevel(ZSTD_maxCLevel()));
  auto compressed = CompressZstd({1, 2, 3}, 0);
  ASSERT_FALSE(compressed.ok());
  EXPECT_EQ(compressed.failure().message,
            "compression level 0 is outside 1.." + std::to_string(ZSTD_maxCLevel()));
}

}  // namespace
}  // namespace hiillos::initfs
