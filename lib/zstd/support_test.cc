// lib/zstd/support_test.cc — XXH64 against libzstd's, error names, frame header fields.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "lib/zstd/error.h"
#include "lib/zstd/frame_header.h"
#include "lib/zstd/reference_codec.h"
#include "lib/zstd/test_data.h"
#include "lib/zstd/xxhash64.h"

namespace hiillos::zstd {
namespace {

TEST(Xxh64, MatchesLibzstdForEveryLengthUpTo300) {
  const auto data = testing::MakeData(testing::DataKind::kRandom, 300, 1);
  for (uint64_t seed : {uint64_t{0}, uint64_t{1}, uint64_t{0x9E3779B97F4A7C15}}) {
    for (size_t length = 0; length <= data.size(); ++length) {
      EXPECT_EQ(Xxh64(data.data(), length, seed),
                testing::ReferenceXxh64(data.data(), length, seed))
          << length;
    }
  }
  EXPECT_EQ(Xxh64(nullptr, 0, 0), 0xEF46DB3751D8E999ULL);  // the published empty-input value
}

TEST(ErrorName, EveryErrorHasItsOwnName) {
  std::set<std::string> names;
  for (int e = 0; e <= int(Error::kUnknownContentSize); ++e) {
    const std::string name = ErrorName(Error(e));
    EXPECT_NE(name, "unknown zstd error") << e;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), size_t(Error::kUnknownContentSize) + 1);
}

TEST(FrameHeader, FieldsFromLibzstdFrames) {
  const auto data = testing::MakeData(testing::DataKind::kText, 100000, 1);
  testing::CompressOptions options;
  auto frame = testing::ReferenceCompress(data, options);
  auto header = ParseFrameHeader(frame.data(), frame.size());
  ASSERT_TRUE(header.ok());
  EXPECT_FALSE(header.value().skippable);
  EXPECT_TRUE(header.value().has_content_size);
  EXPECT_EQ(header.value().content_size, data.size());
  EXPECT_TRUE(header.value().has_checksum);
  EXPECT_EQ(header.value().dictionary_id, 0u);
  auto size = FrameSize(frame.data(), frame.size());
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size.value(), frame.size());

  options.streaming = true;
  options.content_size = false;
  options.window_log = 20;
  options.checksum = false;
  frame = testing::ReferenceCompress(data, options);
  auto streamed = ParseFrameHeader(frame.data(), frame.size());
  ASSERT_TRUE(streamed.ok());
  EXPECT_FALSE(streamed.value().has_content_size);
  EXPECT_FALSE(streamed.value().has_checksum);
  EXPECT_EQ(streamed.value().window_size, uint64_t{1} << 20);
}

TEST(FrameHeader, TwoByteContentSizeIsOffsetBy256) {
  // FHD 0x40: 2-byte Frame_Content_Size, window descriptor 0 (1 KiB).
  const uint8_t frame[] = {0x28, 0xb5, 0x2f, 0xfd, 0x40, 0x00, 0x10, 0x00};
  auto header = ParseFrameHeader(frame, sizeof(frame));
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header.value().content_size, 256u + 16);
  EXPECT_EQ(header.value().window_size, 1024u);
  EXPECT_EQ(header.value().header_size, 8u);
  auto truncated = ParseFrameHeader(frame, 7);
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error(), Error::kTruncated);
}

}  // namespace
}  // namespace hiillos::zstd
