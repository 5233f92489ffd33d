// lib/zstd/decompress_test.cc — the decoder against libzstd: every level, every data kind,
// block types, checksums, frame kinds, sizes up to several MiB, byte-for-byte.
#include "lib/zstd/decompress.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "lib/zstd/frame_features.h"
#include "lib/zstd/reference_codec.h"
#include "lib/zstd/test_data.h"

namespace hiillos::zstd {
namespace {

using testing::CompressOptions;
using testing::DataKind;
using testing::FrameFeatures;
using testing::InspectFrames;
using testing::MakeData;
using testing::ReferenceCompress;

// Decodes into a buffer of exactly `capacity` bytes (so ASan sees any overrun).
Result<std::vector<uint8_t>, Error> Decode(const std::vector<uint8_t>& input, size_t capacity) {
  static auto* workspace = new Workspace;
  std::vector<uint8_t> out(capacity);
  auto result = Decompress(input.data(), input.size(), out.data(), out.size(), *workspace);
  if (!result.ok()) return Err(result.error());
  out.resize(result.value());
  return out;
}

void ExpectRoundTrip(const std::vector<uint8_t>& data, const CompressOptions& options,
                     const std::string& what) {
  const std::vector<uint8_t> compressed = ReferenceCompress(data, options);
  auto decoded = Decode(compressed, data.size());
  ASSERT_TRUE(decoded.ok()) << what << ": " << ErrorName(decoded.error());
  ASSERT_EQ(decoded.value().size(), data.size()) << what;
  ASSERT_TRUE(decoded.value() == data) << what << ": output differs";
}

class LevelTest : public ::testing::TestWithParam<int> {};

TEST_P(LevelTest, EveryDataKindAndSize) {
  const int level = GetParam();
  const size_t sizes[] = {0, 1, 13, 1000, 70000, 300000};
  for (DataKind kind : testing::kAllDataKinds) {
    for (size_t size : sizes) {
      CompressOptions options;
      options.level = level;
      options.checksum = (size / 7 + unsigned(kind)) % 2 == 0;
      const std::string what = std::string(testing::DataKindName(kind)) + " size " +
                               std::to_string(size) + " level " + std::to_string(level);
      ExpectRoundTrip(MakeData(kind, size, size + level), options, what);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, LevelTest,
                         ::testing::Values(-50, -5, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                                           14, 15, 16, 17, 18, 19),
                         [](const auto& info) {
                           return info.param < 0 ? "fast" + std::to_string(-info.param)
                                                 : "level" + std::to_string(info.param);
                         });

TEST(Decompress, LargeInputs) {
  struct Case {
    DataKind kind;
    size_t size;
    int level;
  };
  const Case cases[] = {
      {DataKind::kMixed, 4 << 20, 3},         {DataKind::kText, 3 << 20, 1},
      {DataKind::kLongRepeats, 5 << 20, 9},   {DataKind::kMixed, 2 << 20, 19},
      {DataKind::kShortPeriods, 2 << 20, -5}, {DataKind::kZeros, 6 << 20, 19},
      {DataKind::kRandom, 2 << 20, 3},
  };
  for (const Case& c : cases) {
    CompressOptions options;
    options.level = c.level;
    ExpectRoundTrip(MakeData(c.kind, c.size, 7), options,
                    std::string(testing::DataKindName(c.kind)) + " " + std::to_string(c.size));
  }
  // A tar-like archive, as the initfs is packed (level 19, checksum).
  CompressOptions initfs;
  initfs.level = 19;
  ExpectRoundTrip(testing::MakeTarLike(3 << 20, 1), initfs, "tar-like");
}

TEST(Decompress, StreamingFramesWithWindowDescriptor) {
  for (int level : {-3, 1, 6, 19}) {
    CompressOptions options;
    options.level = level;
    options.streaming = true;
    options.content_size = false;
    options.window_log = 17;  // matches limited to 128 KiB back, many blocks
    const auto data = MakeData(DataKind::kMixed, 1 << 20, level + 100);
    const auto compressed = ReferenceCompress(data, options);
    const FrameFeatures features = InspectFrames(compressed.data(), compressed.size());
    EXPECT_EQ(features.window_descriptor_frames, 1u);
    ExpectRoundTrip(data, options, "streaming level " + std::to_string(level));
  }
}

TEST(Decompress, ForcedBlockTypes) {
  CompressOptions options;
  // Incompressible data: raw blocks only.
  auto compressed = ReferenceCompress(MakeData(DataKind::kRandom, 500000, 1), options);
  FrameFeatures features = InspectFrames(compressed.data(), compressed.size());
  EXPECT_GT(features.blocks[0], 0u);
  EXPECT_EQ(features.blocks[2], 0u);
  ExpectRoundTrip(MakeData(DataKind::kRandom, 500000, 1), options, "raw blocks");
  // One repeated byte: RLE blocks.
  std::vector<uint8_t> same(700000, 0x5a);
  compressed = ReferenceCompress(same, options);
  features = InspectFrames(compressed.data(), compressed.size());
  EXPECT_GT(features.blocks[1], 0u);
  ExpectRoundTrip(same, options, "RLE blocks");
  // Text: compressed blocks only.
  compressed = ReferenceCompress(MakeData(DataKind::kText, 500000, 1), options);
  features = InspectFrames(compressed.data(), compressed.size());
  EXPECT_EQ(features.blocks[0] + features.blocks[1], 0u);
  EXPECT_GT(features.blocks[2], 0u);
  ExpectRoundTrip(MakeData(DataKind::kText, 500000, 1), options, "compressed blocks");
  // Literals never Huffman-coded: raw literals sections.
  options.raw_literals = true;
  compressed = ReferenceCompress(MakeData(DataKind::kText, 300000, 2), options);
  features = InspectFrames(compressed.data(), compressed.size());
  EXPECT_GT(features.literals[0], 0u);
  EXPECT_EQ(features.literals[2] + features.literals[3], 0u);
  ExpectRoundTrip(MakeData(DataKind::kText, 300000, 2), options, "raw literals");
}

// The inputs above, taken together, use every literals type, one and four Huffman streams and
// every table mode; a decoder that mishandled one of them would fail a round trip.
TEST(Decompress, CorpusCoversEveryFeature) {
  FrameFeatures total;
  for (int level : {-5, 1, 3, 7, 12, 19}) {
    for (DataKind kind : testing::kAllDataKinds) {
      for (size_t size : {size_t{40}, size_t{3000}, size_t{400000}}) {
        CompressOptions options;
        options.level = level;
        const auto data = MakeData(kind, size, 3);
        const auto compressed = ReferenceCompress(data, options);
        total += InspectFrames(compressed.data(), compressed.size());
        ExpectRoundTrip(data, options, "coverage");
      }
    }
  }
  // libzstd emits RLE literals only for more than 63 identical literals in a block and an RLE
  // match length table rarely; HandmadeRleFrame covers those two.
  const char* kModes[] = {"predefined", "rle", "compressed", "repeat"};
  const char* kTables[] = {"literal lengths", "offsets", "match lengths"};
  for (int table = 0; table < 3; ++table) {
    for (int mode = 0; mode < 4; ++mode) {
      if (table == 2 && mode == 1) continue;
      EXPECT_GT(total.table_modes[table][mode], 0u) << kTables[table] << " " << kModes[mode];
    }
  }
  const char* kLiterals[] = {"raw", "rle", "compressed", "treeless"};
  for (int type : {0, 2, 3}) EXPECT_GT(total.literals[type], 0u) << kLiterals[type];
  EXPECT_GT(total.one_stream_literals, 0u);
  EXPECT_GT(total.four_stream_literals, 0u);
  EXPECT_GT(total.blocks_without_sequences, 0u);
  for (int type = 0; type < 3; ++type) EXPECT_GT(total.blocks[type], 0u) << type;
}

// A frame written by hand: a raw block, then a compressed block with RLE literals and all three
// tables in RLE mode. libzstd's decoder gives the expected output.
TEST(Decompress, HandmadeRleFrame) {
  const std::vector<uint8_t> frame = {
      0x28, 0xb5, 0x2f, 0xfd, 0x20, 34,  // magic; single segment, 34 bytes
      0x40, 0x00, 0x00, 'a',  'b',  'c', 'd', 'e', 'f', 'g', 'h',  // raw block, 8 bytes
      0x45, 0x00, 0x00,                                            // last compressed block, 8 bytes
      0x51, 'x',                                                   // RLE literals: 10 x 'x'
      0x02, 0x54, 3,    2,    5,  // 2 sequences; LL code 3, offset code 2, ML code 5 (all RLE)
      0x1c,                       // offset extra bits: 3 then 0 (offsets 4 and 1)
  };
  const FrameFeatures features = InspectFrames(frame.data(), frame.size());
  EXPECT_EQ(features.literals[1], 1u);
  EXPECT_EQ(features.table_modes[0][1] + features.table_modes[1][1] + features.table_modes[2][1],
            3u);
  auto reference = testing::ReferenceDecompress(frame.data(), frame.size(), 34);
  ASSERT_TRUE(reference.has_value());
  const std::string expected = "abcdefghxxxhxxxhxxxxxxxxxxxxxxxxxx";
  EXPECT_EQ(std::string(reference->begin(), reference->end()), expected);
  auto decoded = Decode(frame, 34);
  ASSERT_TRUE(decoded.ok()) << ErrorName(decoded.error());
  EXPECT_EQ(std::string(decoded.value().begin(), decoded.value().end()), expected);
}

TEST(Decompress, ChecksumIsVerified) {
  CompressOptions options;
  const auto data = MakeData(DataKind::kText, 5000, 4);
  auto compressed = ReferenceCompress(data, options);
  ASSERT_TRUE(Decode(compressed, data.size()).ok());
  compressed[compressed.size() - 2] ^= 0x10;  // inside the 4-byte checksum
  auto decoded = Decode(compressed, data.size());
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error(), Error::kChecksumMismatch);
}

TEST(Decompress, MultipleAndSkippableFrames) {
  const auto a = MakeData(DataKind::kText, 100000, 1);
  const auto b = MakeData(DataKind::kMixed, 200000, 2);
  const auto c = std::vector<uint8_t>();
  CompressOptions no_size;
  no_size.content_size = false;
  no_size.checksum = false;
  no_size.streaming = true;
  std::vector<uint8_t> input = testing::SkippableFrame(MakeData(DataKind::kRandom, 77, 1), 0);
  for (const auto& piece :
       {ReferenceCompress(a, {}), ReferenceCompress(b, no_size), testing::SkippableFrame({}, 15),
        ReferenceCompress(c, {}), ReferenceCompress(a, {})}) {
    input.insert(input.end(), piece.begin(), piece.end());
  }
  std::vector<uint8_t> expected = a;
  expected.insert(expected.end(), b.begin(), b.end());
  expected.insert(expected.end(), a.begin(), a.end());
  auto decoded = Decode(input, expected.size());
  ASSERT_TRUE(decoded.ok()) << ErrorName(decoded.error());
  EXPECT_TRUE(decoded.value() == expected);
  // One frame without a recorded size: ContentSize cannot answer.
  auto size = ContentSize(input.data(), input.size());
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(size.error(), Error::kUnknownContentSize);
  // A skippable frame alone decodes to nothing.
  const auto skippable = testing::SkippableFrame({1, 2, 3}, 4);
  auto skipped = Decode(skippable, 0);
  ASSERT_TRUE(skipped.ok());
  EXPECT_TRUE(skipped.value().empty());
}

TEST(Decompress, ContentSizeSumsFrames) {
  const auto a = MakeData(DataKind::kText, 12345, 1);
  const auto b = MakeData(DataKind::kZeros, 300000, 2);
  std::vector<uint8_t> input = ReferenceCompress(a, {});
  const auto second = ReferenceCompress(b, {});
  input.insert(input.end(), second.begin(), second.end());
  const auto skip = testing::SkippableFrame({9, 9}, 3);
  input.insert(input.end(), skip.begin(), skip.end());
  auto size = ContentSize(input.data(), input.size());
  ASSERT_TRUE(size.ok()) << ErrorName(size.error());
  EXPECT_EQ(size.value(), a.size() + b.size());
}

TEST(Decompress, OutputTooSmall) {
  const auto data = MakeData(DataKind::kMixed, 300000, 5);
  for (bool content_size : {true, false}) {
    CompressOptions options;
    options.content_size = content_size;
    options.streaming = !content_size;
    const auto compressed = ReferenceCompress(data, options);
    for (size_t capacity : {size_t{0}, size_t{1}, data.size() / 2, data.size() - 1}) {
      auto decoded = Decode(compressed, capacity);
      ASSERT_FALSE(decoded.ok()) << capacity;
      EXPECT_EQ(decoded.error(), Error::kOutputTooSmall) << capacity;
    }
    EXPECT_TRUE(Decode(compressed, data.size()).ok());
    EXPECT_TRUE(Decode(compressed, data.size() + 1000).ok());
  }
}

TEST(Decompress, RejectsMalformedHeaders) {
  const auto data = MakeData(DataKind::kText, 2000, 6);
  CompressOptions options;
  options.streaming = true;
  options.content_size = false;
  const auto frame = ReferenceCompress(data, options);  // magic, FHD, window descriptor, ...
  ASSERT_TRUE(Decode(frame, data.size()).ok());
  ASSERT_EQ(frame[4] & 0xE7, 0x04);  // no content size, not single segment, checksum, no dict

  auto expect_error = [&](std::vector<uint8_t> input, Error error, const char* what) {
    auto decoded = Decode(input, data.size());
    ASSERT_FALSE(decoded.ok()) << what;
    EXPECT_EQ(decoded.error(), error) << what << ": " << ErrorName(decoded.error());
  };
  expect_error({}, Error::kTruncated, "empty");
  std::vector<uint8_t> bad_magic = frame;
  bad_magic[0] ^= 1;
  expect_error(bad_magic, Error::kBadMagic, "magic");
  std::vector<uint8_t> reserved = frame;
  reserved[4] |= 0x08;
  expect_error(reserved, Error::kReservedBit, "reserved FHD bit");
  std::vector<uint8_t> dictionary = frame;
  dictionary[4] |= 0x01;  // one-byte dictionary ID after the window descriptor
  dictionary.insert(dictionary.begin() + 6, 42);
  expect_error(dictionary, Error::kDictionaryUnsupported, "dictionary");
  std::vector<uint8_t> dictionary_zero = frame;
  dictionary_zero[4] |= 0x01;
  dictionary_zero.insert(dictionary_zero.begin() + 6, 0);  // ID 0 means "no dictionary"
  EXPECT_TRUE(Decode(dictionary_zero, data.size()).ok());
  std::vector<uint8_t> window = frame;
  window[5] = (28 - 10) << 3;  // 256 MiB
  expect_error(window, Error::kWindowTooLarge, "window");
  std::vector<uint8_t> block = frame;
  block[6] |= 0x06;  // first block type 3 (reserved)
  expect_error(block, Error::kBadBlock, "reserved block type");
  std::vector<uint8_t> trailing = frame;
  trailing.push_back(0);
  expect_error(trailing, Error::kTruncated, "trailing byte");
}

// Every proper prefix of a frame is an error, never a crash or a short success.
TEST(Decompress, EveryTruncationFails) {
  for (bool checksum : {true, false}) {
    for (int level : {1, 19}) {
      CompressOptions options;
      options.level = level;
      options.checksum = checksum;
      const auto data = MakeData(DataKind::kMixed, 3000, 8);
      const auto frame = ReferenceCompress(data, options);
      for (size_t length = 0; length < frame.size(); ++length) {
        std::vector<uint8_t> prefix(frame.begin(), frame.begin() + length);
        EXPECT_FALSE(Decode(prefix, data.size()).ok()) << length;
      }
      EXPECT_TRUE(Decode(frame, data.size()).ok());
    }
  }
}

// Random bit flips: an error, or output that libzstd agrees with; never a crash (ASan variant).
TEST(Decompress, BitFlipsNeverCrash) {
  uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  size_t errors = 0;
  size_t agreements = 0;
  for (int level : {-1, 3, 19}) {
    for (DataKind kind : {DataKind::kText, DataKind::kMixed, DataKind::kShortPeriods}) {
      CompressOptions options;
      options.level = level;
      options.checksum = false;
      const auto data = MakeData(kind, 20000, level + 20);
      const auto frame = ReferenceCompress(data, options);
      for (int trial = 0; trial < 300; ++trial) {
        std::vector<uint8_t> corrupt = frame;
        const int flips = 1 + int(next() % 3);
        for (int f = 0; f < flips; ++f)
          corrupt[next() % corrupt.size()] ^= uint8_t(1 << (next() % 8));
        auto decoded = Decode(corrupt, data.size() + 64);
        if (!decoded.ok()) {
          ++errors;
          continue;
        }
        auto reference =
            testing::ReferenceDecompress(corrupt.data(), corrupt.size(), data.size() + 64);
        if (reference) {
          EXPECT_TRUE(*reference == decoded.value()) << "level " << level << " trial " << trial;
          ++agreements;
        }
      }
    }
  }
  EXPECT_GT(errors, 0u);
  printf("bit flips: %zu errors, %zu successes agreeing with libzstd\n", errors, agreements);
}

TEST(Decompress, WorkspaceIsReusable) {
  auto workspace = std::make_unique<Workspace>();
  const auto a = MakeData(DataKind::kText, 50000, 1);
  const auto b = MakeData(DataKind::kMixed, 50000, 2);
  CompressOptions options;
  options.level = 19;
  for (const auto* data : {&a, &b, &a}) {
    const auto compressed = ReferenceCompress(*data, options);
    std::vector<uint8_t> out(data->size());
    auto result =
        Decompress(compressed.data(), compressed.size(), out.data(), out.size(), *workspace);
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(out == *data);
  }
}

}  // namespace
}  // namespace hiillos::zstd
